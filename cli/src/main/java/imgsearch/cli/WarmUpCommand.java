package imgsearch.cli;

import imgsearch.file.FileTrees;
import imgsearch.image.JpegEncoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code warm-up} (hidden): indexes a few generated photos into a temporary index and searches it, output
 * discarded. The launcher runs it once per build with the JVM writing its class data sharing archive at exit,
 * so that the archive holds the classes {@code index} and {@code search} load (Lucene, Jackson, the decoders):
 * an archive made by whatever command ran first, {@code --help} say, left them out and cost {@code index} 0.4 s
 * per start (BENCHMARKS.md).
 */
@Command(name = "warm-up", hidden = true,
    description = "Index and search a few generated photos in a temporary folder (trains the startup archive).")
final class WarmUpCommand implements Callable<Integer> {

  private static final int PHOTOS = 4;

  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("imgsearch-warm-up");
    try {
      Path photos = Files.createDirectories(dir.resolve("photos"));
      for (int i = 0; i < PHOTOS; i++) {
        Files.write(photos.resolve("photo-" + i + ".jpg"), JpegEncoder.encode(gradient(i), 0.9f));
      }
      String index = dir.resolve("index").toString();
      PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), true);
      int exit = Main.run(quiet, quiet, "index", photos.toString(), "--index", index);
      for (String[] search : new String[][] {
          {"search", "--image", photos.resolve("photo-0.jpg").toString(), "--index", index},
          {"search", "--image", photos.resolve("photo-1.jpg").toString(), "--index", index, "--json"},
          {"search", "--image", photos.resolve("photo-2.jpg").toString(), "--index", index, "--descriptor",
              "pixels", "--metric", "l1"},
          {"info", "--index", index}}) {
        exit = Math.max(exit, Main.run(quiet, quiet, search));
      }
      return exit;
    } finally {
      FileTrees.delete(dir);
    }
  }

  /** A 640 x 480 colour gradient with a bright square, different for each {@code seed}. */
  private static BufferedImage gradient(int seed) {
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 640; x++) {
        boolean square = Math.abs(x - 160 - 80 * seed) < 60 && Math.abs(y - 240) < 60;
        int r = square ? 250 : (x * 255 / 640 + 60 * seed) & 0xFF;
        int g = square ? 240 : y * 255 / 480;
        int b = square ? 20 : (255 - x * 255 / 640) / (seed + 1);
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }
}
