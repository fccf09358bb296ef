package imgsearch.cli;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.PerceptualHashDescriptor;
import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.NeighbourGraph;
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
        "The images are random crops of the photos under DIR (15-40% of each side, some mirrored, brighter or",
        "darker, 5% with a half-size copy); their edge-colour and phash vectors are written through the index API",
        "(no files), so the figure is the duplicate search alone. A brute-force all-pairs comparison of a sample",
        "runs beside it and is extrapolated to N, for the ratio.",
        "  ./imgsearch bench duplicates-scale /work/data/duplicate-set --glob '*/*/original.jpg'"})
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
        DuplicateReport r = DuplicateFinder.find(index, m, m.defaultThreshold(), threads, NeighbourGraph.Progress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        float[][] vectors = m.descriptor().equals(edge.name()) ? edgeVectors : hashVectors;
        double allPairs = allPairsSeconds(m, vectors, Math.min(sample, images));
        double extrapolated = allPairs * ((double) images * (images - 1)) / ((double) sample * (sample - 1));
        out.printf(Locale.ROOT, "%n%s at %s: %.1f s (%.0f images/s); %d groups, %d images in them%n",
            m.descriptor(), m.describeThreshold(m.defaultThreshold()), seconds, images / seconds, r.groups().size(),
            r.redundantImages() + r.groups().size());
        out.printf(Locale.ROOT, "  brute force, all pairs of %d images: %.1f s, so about %.0f s for %d (%.0fx the kNN"
            + " search)%n", Math.min(sample, images), allPairs, extrapolated, images, extrapolated / seconds);
        out.flush();
      }
    } finally {
      BenchCommand.deleteTree(tmp);
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

  /** Image {@code i}: a crop of one source, sometimes mirrored or re-lit; every 20th is a half-size copy of the previous. */
  private BufferedImage image(List<BufferedImage> sources, int i) {
    boolean copy = i % 20 == 19;
    Random r = new Random(seed * 1_000_003L + (copy ? i - 1 : i));
    BufferedImage src = sources.get(r.nextInt(sources.size()));
    int w = (int) (src.getWidth() * (0.15 + r.nextDouble() * 0.25));
    int h = (int) (src.getHeight() * (0.15 + r.nextDouble() * 0.25));
    int x = r.nextInt(src.getWidth() - w + 1);
    int y = r.nextInt(src.getHeight() - h + 1);
    BufferedImage crop = ImageScaling.toRgb(src.getSubimage(x, y, w, h));
    if (r.nextInt(4) == 0) {
      crop = ImageScaling.flipHorizontally(crop);
    }
    if (r.nextInt(4) == 0) {
      float gain = 0.8f + r.nextFloat() * 0.4f;
      int[] px = ImageScaling.rgb(crop);
      for (int k = 0; k < px.length; k++) {
        int p = px[k];
        px[k] = clamp(((p >> 16) & 255) * gain) << 16 | clamp(((p >> 8) & 255) * gain) << 8 | clamp((p & 255) * gain);
      }
      crop = ImageScaling.fromRgb(px, crop.getWidth(), crop.getHeight());
    }
    return copy ? ImageScaling.resize(crop, Math.max(1, crop.getWidth() / 2), Math.max(1, crop.getHeight() / 2)) : crop;
  }

  private static int clamp(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  /** The photos under {@code dir}, each at most 1024 px on its longer side. */
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
        double scale = Math.min(1, 1024.0 / Math.max(img.getWidth(), img.getHeight()));
        out.add(ImageScaling.resize(img, Math.max(1, (int) (img.getWidth() * scale)),
            Math.max(1, (int) (img.getHeight() * scale))));
      } catch (Exception e) {
        // not a usable photo: skipped
      }
    }
    return out;
  }
}
