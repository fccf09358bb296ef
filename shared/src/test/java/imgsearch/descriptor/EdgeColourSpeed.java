package imgsearch.descriptor;

import imgsearch.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Not a test: median time to decode and to describe the photos of a folder with edge-colour, with and
 * without the letterbox cut, one thread, side by side in one JVM (a ratio means more than a time on a
 * shared machine). Argument: a folder of JPEGs, e.g. a near-duplicate set's db/.
 */
public final class EdgeColourSpeed {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(60).toList();
    }
    ImageDecoder decoder = new ImageDecoder();
    List<BufferedImage> images = new ArrayList<>();
    long[] decode = new long[files.size()];
    for (int round = 0; round < 3; round++) {
      images.clear();
      for (int i = 0; i < files.size(); i++) {
        long t = System.nanoTime();
        images.add(decoder.decode(files.get(i)).image());
        decode[i] = System.nanoTime() - t;
      }
    }
    Descriptor chosen = new EdgeColourDescriptor();
    Descriptor noCut = new EdgeColourDescriptor(new EdgeColourDescriptor.Tuning(EdgeColourDescriptor.Weights.TUNED, false));
    long[] a = new long[images.size()], b = new long[images.size()];
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < images.size(); i++) {
        long t = System.nanoTime();
        chosen.describe(images.get(i));
        a[i] = System.nanoTime() - t;
        t = System.nanoTime();
        noCut.describe(images.get(i));
        b[i] = System.nanoTime() - t;
      }
    }
    System.out.printf(Locale.ROOT, "%d photos: decode p50 %.2f ms; describe p50 %.3f ms (letterbox cut), %.3f ms (no cut)%n",
        images.size(), median(decode), median(a), median(b));
  }

  private static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }
}
