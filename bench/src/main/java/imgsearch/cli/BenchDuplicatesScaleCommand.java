package imgsearch.cli;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.PerceptualHashDescriptor;
import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.NeighbourGraph;
import imgsearch.file.FileTrees;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageFiles;
import imgsearch.image.ImageScaling;
import imgsearch.index.ImageRecord;
import imgsearch.index.lucene.LuceneImageIndex;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * How {@code imgsearch duplicates} scales: a temporary index of N images' vectors, then the duplicate search timed
 * on it, beside a brute-force all-pairs comparison of a sample (extrapolated), in one run.
 */
@Command(name = "duplicates-scale", mixinStandardHelpOptions = true,
    description = {"Time 'imgsearch duplicates' on a temporary index of N images (default 100,000).",
        "The images are 160 x 120 mosaics of crops of the photos under DIR, recoloured; 15% are "
            + "near-duplicates of another (half size, brighter, 90% crop, mirrored). Their edge-colour and "
            + "phash vectors are written through the index API (no files): the figure is the duplicate "
            + "search alone. A brute-force all-pairs comparison of a sample runs beside it and is "
            + "extrapolated to N, for the ratio.",
        "  ./imgsearch bench duplicates-scale ~/Pictures"})
final class BenchDuplicatesScaleCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A folder of photos to cut the images from.")
  Path photos;

  @Option(names = "--images", paramLabel = "N", description = "Images in the index (default ${DEFAULT-VALUE}).")
  int images = 100_000;

  @Option(names = "--sample", paramLabel = "N", description = "Images compared all-pairs (default ${DEFAULT-VALUE}).")
  int sample = 10_000;

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the crops (default ${DEFAULT-VALUE}).")
  long seed = 14;

  @Option(names = "--glob", paramLabel = "GLOB",
      description = "Only the photos whose path under DIR matches, e.g. '*/original.jpg' (default: all).")
  String glob;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<BufferedImage> sources = load(photos, glob);
    if (sources.isEmpty()) {
      throw UserError.usage("no photos under " + photos);
    }
    out.printf(Locale.ROOT, "%s%n%d images cut from %d photos under %s%n", BenchCommand.machine(), images,
        sources.size(), photos);
    out.flush();
    Descriptor edge = new EdgeColourDescriptor();
    Descriptor hash = new PerceptualHashDescriptor();
    long start = System.nanoTime();
    float[][] edgeVectors = new float[images][];
    float[][] hashVectors = new float[images][];
    AtomicInteger next = new AtomicInteger();
    int workers = Math.max(1, threads);
    IntStream.range(0, workers).parallel().forEach(w -> {
      for (int i = next.getAndIncrement(); i < images; i = next.getAndIncrement()) {
        BufferedImage image = image(sources, i);
        edgeVectors[i] = edge.describe(image);
        hashVectors[i] = hash.describe(image);
      }
    });
    out.printf(Locale.ROOT, "described in %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.flush();

    Path tmp = Files.createTempDirectory("imgsearch-bench-duplicates-scale");
    try (LuceneImageIndex index = LuceneImageIndex.open(tmp)) {
      index.registerDescriptor(edge.spec());
      index.registerDescriptor(hash.spec());
      Set<String> keys = Set.of(edge.spec().key(), hash.spec().key());
      start = System.nanoTime();
      for (int i = 0; i < images; i++) {
        String id = String.format(Locale.ROOT, "img%07d", i);
        index.upsert(new ImageRecord(id, "/bench/" + id + ".jpg", id, 100_000 + i % 1000, 640, 480, null, null, null,
            keys), Map.of(edge.name(), edgeVectors[i], hash.name(), hashVectors[i]));
        if ((i + 1) % 1000 == 0) {
          index.commit(); // as an indexing run commits as it goes: several segments, as a real index has
        }
      }
      index.commit();
      out.printf(Locale.ROOT, "index written (HNSW graphs built) in %.1f s%n", (System.nanoTime() - start) / 1e9);
      out.flush();

      for (DuplicateMeasure m : DuplicateMeasure.PREFERENCE) {
        start = System.nanoTime();
        NeighbourGraph graph = NeighbourGraph.build(index, m, m.defaultThreshold(), threads, NeighbourGraph.Progress.NONE);
        DuplicateReport r = DuplicateFinder.group(graph, m.defaultThreshold());
        AtomicInteger widened = new AtomicInteger(graph.widened());
        double seconds = (System.nanoTime() - start) / 1e9;
        float[][] vectors = m.descriptor().equals(edge.name()) ? edgeVectors : hashVectors;
        double allPairs = allPairsSeconds(m, vectors, Math.min(sample, images));
        double extrapolated = allPairs * ((double) images * (images - 1)) / ((double) sample * (sample - 1));
        out.printf(Locale.ROOT, "%n%s at %s: %.1f s (%.0f images/s); %d groups, %d images in them; %d images"
                + " searched again for more than %d neighbours%n", m.descriptor(), m.describeThreshold(m.defaultThreshold()),
            seconds, images / seconds, r.groups().size(), r.redundantImages() + r.groups().size(), widened.get(),
            NeighbourGraph.FIRST_K);
        out.printf(Locale.ROOT, "  brute force, all pairs of %d images: %.1f s, so about %.0f s for %d: %.1f times the"
            + " kNN search's time%n", Math.min(sample, images), allPairs, extrapolated, images, extrapolated / seconds);
        out.flush();
      }
    } finally {
      FileTrees.delete(tmp);
    }
    return 0;
  }

  /** Every pair of the first {@code n} vectors scored, on the threads, as an exhaustive search would. */
  private double allPairsSeconds(DuplicateMeasure m, float[][] vectors, int n) {
    long start = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    long near = IntStream.range(0, Math.max(1, threads)).parallel().mapToLong(w -> {
      long count = 0;
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        for (int j = i + 1; j < n; j++) {
          if (m.within(m.score(vectors[i], vectors[j]), m.defaultThreshold())) {
            count++;
          }
        }
      }
      return count;
    }).sum();
    if (near < 0) {
      throw new IllegalStateException(); // keeps the loop from being optimised away
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Image {@code i}. Of every 20, 17 are distinct pictures; the other 3 are near-duplicates of the two pictures
   * before them: a half-size copy, a brighter copy, a 90% crop or a mirror image. So 15% of the images have a
   * duplicate, in groups of two or three, as in a photo folder with some bursts and exports, and most have none.
   */
  private BufferedImage image(List<BufferedImage> sources, int i) {
    int inBlock = i % 20;
    if (inBlock < 17) {
      return picture(sources, i);
    }
    int base = i - inBlock + (inBlock == 17 ? 15 : 16);
    BufferedImage p = picture(sources, base);
    return switch (new Random(seed + 7L * i).nextInt(4)) {
      case 0 -> ImageScaling.resize(p, Math.max(1, p.getWidth() / 2), Math.max(1, p.getHeight() / 2));
      case 1 -> scaled(p, new float[] {1.2f, 1.2f, 1.2f}, new int[] {0, 1, 2});
      case 2 -> ImageScaling.toRgb(p.getSubimage(p.getWidth() / 20, p.getHeight() / 20, p.getWidth() * 9 / 10,
          p.getHeight() * 9 / 10));
      default -> ImageScaling.flipHorizontally(p);
    };
  }

  /**
   * A distinct picture: a 2 x 2 mosaic of crops (10-30% of each side) of four random photos, its channels permuted
   * and scaled, 160 x 120. Crops of one photo alone would not do: the descriptor is built to see them as the same
   * picture, and a few hundred photos give few distinct ones.
   */
  private BufferedImage picture(List<BufferedImage> sources, int i) {
    Random r = new Random(seed * 1_000_003L + i);
    int tw = 80;
    int th = 60;
    int[] mosaic = new int[2 * tw * 2 * th];
    for (int t = 0; t < 4; t++) {
      BufferedImage src = sources.get(r.nextInt(sources.size()));
      int w = Math.max(8, (int) (src.getWidth() * (0.1 + r.nextDouble() * 0.2)));
      int h = Math.max(8, (int) (src.getHeight() * (0.1 + r.nextDouble() * 0.2)));
      int x = r.nextInt(src.getWidth() - w + 1);
      int y = r.nextInt(src.getHeight() - h + 1);
      int[] tile = ImageScaling.resize(ImageScaling.rgb(src.getSubimage(x, y, w, h)), w, h, tw, th);
      int ox = (t % 2) * tw;
      int oy = (t / 2) * th;
      for (int row = 0; row < th; row++) {
        System.arraycopy(tile, row * tw, mosaic, (oy + row) * 2 * tw + ox, tw);
      }
    }
    int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    float[] gains = {0.7f + r.nextFloat() * 0.6f, 0.7f + r.nextFloat() * 0.6f, 0.7f + r.nextFloat() * 0.6f};
    return scaled(ImageScaling.fromRgb(mosaic, 2 * tw, 2 * th), gains, orders[r.nextInt(orders.length)]);
  }

  /** Channels reordered ({@code order[c]} is the source of channel c: 0 red, 1 green, 2 blue) and scaled. */
  private static BufferedImage scaled(BufferedImage image, float[] gains, int[] order) {
    int[] px = ImageScaling.rgb(image);
    for (int k = 0; k < px.length; k++) {
      int p = px[k];
      int[] c = {(p >> 16) & 255, (p >> 8) & 255, p & 255};
      px[k] = clamp(c[order[0]] * gains[0]) << 16 | clamp(c[order[1]] * gains[1]) << 8 | clamp(c[order[2]] * gains[2]);
    }
    return ImageScaling.fromRgb(px, image.getWidth(), image.getHeight());
  }

  private static int clamp(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  /** The photos under {@code dir}, each at most 640 px on its longer side. */
  private static List<BufferedImage> load(Path dir, String glob) throws Exception {
    List<Path> files;
    var matcher = glob == null ? null : dir.getFileSystem().getPathMatcher("glob:" + glob);
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(ImageFiles::hasImageExtension)
          .filter(f -> matcher == null || matcher.matches(dir.relativize(f))).sorted().toList();
    }
    ImageDecoder decoder = new ImageDecoder();
    List<BufferedImage> out = new ArrayList<>();
    for (Path f : files) {
      try {
        BufferedImage img = decoder.decode(f).image();
        double scale = Math.min(1, 640.0 / Math.max(img.getWidth(), img.getHeight()));
        out.add(ImageScaling.resize(img, Math.max(1, (int) (img.getWidth() * scale)),
            Math.max(1, (int) (img.getHeight() * scale))));
      } catch (Exception e) {
        // not a usable photo: skipped
      }
    }
    return out;
  }
}
