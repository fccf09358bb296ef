package imgsearch.cli;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.index.Indexer;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.VectorQuery;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.web.ServerConfig;
import imgsearch.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Speed measurements; the figures in BENCHMARKS.md come from these commands. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure indexing throughput, HTTP query latency, exact-scan speed and duplicate finding.",
    subcommands = {BenchCommand.IndexBench.class, BenchCommand.QueryBench.class, BenchCommand.ScanBench.class,
        BenchCommand.NearDuplicatesBench.class, BenchDuplicatesCommand.class, BenchDuplicatesScaleCommand.class,
        BenchKillIndexCommand.class, BenchLoadCommand.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static String machine() {
    return String.format(Locale.ROOT, "%d cores, Java %s (%s)", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"));
  }

  @Command(name = "index", mixinStandardHelpOptions = true,
      description = "Index DIR into a fresh temporary index and report images per second (decode-only rate too).")
  static final class IndexBench implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A folder of images, e.g. 1024 px JPEGs.")
    Path dir;

    @Option(names = "--descriptors", split = ",", paramLabel = "NAME", description = "Descriptors (default: every classic one).")
    List<String> descriptors = imgsearch.descriptor.ClassicDescriptors.names();

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin ModelLocation models;

    @Override
    public Integer call() throws Exception {
      try (Descriptors known = Descriptors.load(models.options(new java.io.PrintWriter(System.err, true)))) {
        return run(Descriptors.parse(known.registry(), descriptors, null));
      }
    }

    private int run(List<Descriptor> chosen) throws Exception {
      List<Path> files;
      try (var walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).filter(imgsearch.image.ImageFiles::hasImageExtension).sorted().toList();
      }
      ImageDecoder decoder = new ImageDecoder();
      decodeAll(decoder, files); // warm-up: the JIT compiles the decoding path first
      long start = System.nanoTime();
      decodeAll(decoder, files);
      double decodeSeconds = (System.nanoTime() - start) / 1e9;
      Path tmp = Files.createTempDirectory("imgsearch-bench-index");
      try (LuceneImageIndex index = LuceneImageIndex.open(tmp)) {
        IndexSummary s = new Indexer(index, decoder, chosen, threads).index(dir, IndexListener.NONE);
        System.out.printf(Locale.ROOT, "%s%n%d images in %s%n", machine(), files.size(), dir);
        System.out.printf(Locale.ROOT, "decode only, after a warm-up pass:  %.1f images/s (%d threads)%n", files.size() / decodeSeconds,
            Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "index (%s): %.1f images/s, %d indexed, %d failed, %.1f s%n",
            String.join(", ", chosen.stream().map(d -> d.spec().label()).toList()), s.imagesPerSecond(), s.indexed(),
            s.failed().size(), s.millis() / 1000.0);
      } finally {
        deleteTree(tmp);
      }
      return 0;
    }
  }

  private static void decodeAll(ImageDecoder decoder, List<Path> files) {
    files.parallelStream().forEach(f -> {
      try {
        decoder.decode(f);
      } catch (Exception e) {
        // counted by the indexing pass
      }
    });
  }

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "Serve the index on a free loopback port and time POST /api/search with uploaded photos.")
  static final class QueryBench implements Callable<Integer> {
    @Mixin IndexLocation location;

    @Mixin ModelLocation models;

    @Option(names = "--descriptor", paramLabel = "NAME", description = "Descriptor (default: the server's default).")
    String descriptor;

    @Option(names = "--queries", paramLabel = "N", description = "Timed queries (default ${DEFAULT-VALUE}).")
    int queries = 300;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed queries first (default ${DEFAULT-VALUE}).")
    int warmup = 200;

    @Override
    public Integer call() throws Exception {
      // One log line per request would drown the figures.
      System.setProperty("org.slf4j.simpleLogger.log.imgsearch.web", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
      Path indexDir = location.path();
      try (LuceneImageIndex index = LuceneImageIndex.openReadOnly(indexDir);
           Descriptors known = Descriptors.load(models.options(new java.io.PrintWriter(System.err, true)));
           WebServer server = WebServer.start(ServerConfig.defaults(indexDir).withPort(0), index, known.registry())) {
        List<ImageRecord> images = index.list(ImageFilter.ALL, 0, 50);
        if (images.isEmpty()) {
          throw UserError.failure("the index is empty");
        }
        List<byte[]> uploads = new ArrayList<>();
        for (ImageRecord r : images) {
          uploads.add(Files.readAllBytes(Path.of(r.path())));
        }
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(server.url() + "/api/search");
        for (int i = 0; i < warmup; i++) {
          post(http, uri, uploads.get(i % uploads.size()));
        }
        long[] nanos = new long[queries];
        for (int i = 0; i < queries; i++) {
          long t = System.nanoTime();
          post(http, uri, uploads.get(i % uploads.size()));
          nanos[i] = System.nanoTime() - t;
        }
        System.out.printf(Locale.ROOT, "%s%n%d images in the index, descriptor %s, %d queries after %d warm-up%n",
            machine(), index.count(ImageFilter.ALL), descriptor == null ? "(default)" : descriptor, queries, warmup);
        report("POST /api/search (upload a 1024 px JPEG)", nanos);
        for (int i = 0; i < queries; i++) {
          String id = images.get(i % images.size()).id();
          URI byId = URI.create(server.url() + "/api/search?id=" + id
              + (descriptor == null ? "" : "&descriptor=" + descriptor));
          long t = System.nanoTime();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(byId).build(), HttpResponse.BodyHandlers.ofString());
          nanos[i] = System.nanoTime() - t;
          if (r.statusCode() != 200) {
            throw UserError.failure("the server answered " + r.statusCode() + ": " + r.body());
          }
        }
        report("GET /api/search?id= (more like an indexed image)", nanos);
      }
      return 0;
    }

    private static void report(String what, long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "%s: p50 %.2f ms, p95 %.2f ms, max %.2f ms%n", what, sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.95)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private void post(HttpClient http, URI uri, byte[] image) throws Exception {
      String boundary = "imgsearchbench";
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (descriptor != null) {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"descriptor\"\r\n\r\n" + descriptor
            + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.jpg\"\r\n"
          + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(image);
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw UserError.failure("the server answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  @Command(name = "scan", mixinStandardHelpOptions = true,
      description = {"Build a temporary index of synthetic pixel vectors and time exact L1 scans over it.",
          "Default: 10,000 images x 150,528 dimensions (224 x 224 x 3), about 6 GB of temporary disk."})
  static final class ScanBench implements Callable<Integer> {
    @Option(names = "--images", paramLabel = "N", description = "Stored vectors (default ${DEFAULT-VALUE}).")
    int images = 10_000;

    @Option(names = "--dimensions", paramLabel = "D", description = "Vector length (default ${DEFAULT-VALUE}).")
    int dimensions = 224 * 224 * 3;

    @Option(names = "--queries", paramLabel = "N", description = "Timed queries (default ${DEFAULT-VALUE}).")
    int queries = 5;

    @Option(names = "--metric", paramLabel = "M", description = "l1, l2, cosine, correlation, chi2 or dot (default l1).")
    String metric = "l1";

    @Override
    public Integer call() throws Exception {
      Metric scanned = Metric.fromId(metric);
      DescriptorSpec spec = new DescriptorSpec("pixels", 0, "bench", dimensions, List.of(scanned));
      Path tmp = Files.createTempDirectory("imgsearch-bench-scan");
      try (LuceneImageIndex index = LuceneImageIndex.open(tmp)) {
        index.registerDescriptor(spec);
        Random rnd = new Random(1);
        long buildStart = System.nanoTime();
        float[] v = new float[dimensions];
        for (int i = 0; i < images; i++) {
          for (int j = 0; j < dimensions; j++) {
            v[j] = rnd.nextInt(256);
          }
          index.upsert(new ImageRecord("img" + i, "/bench/" + i, "h", 0, 224, 224, null, null, null, Set.of()),
              Map.of("pixels", v));
        }
        index.commit();
        System.out.printf(Locale.ROOT, "%s%nbuilt %d x %d vectors in %.1f s%n", machine(), images, dimensions,
            (System.nanoTime() - buildStart) / 1e9);
        float[] q = new float[dimensions];
        for (int j = 0; j < dimensions; j++) {
          q[j] = rnd.nextInt(256);
        }
        VectorQuery query = new VectorQuery("pixels", scanned, q, 10, true, ImageFilter.ALL, null);
        index.search(query);
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
          long t = System.nanoTime();
          index.search(query);
          seconds.add((System.nanoTime() - t) / 1e9);
        }
        seconds.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "exact %s top-10 scan: median %.3f s, best %.3f s over %d queries%n",
            scanned.id(), seconds.get(seconds.size() / 2), seconds.get(0), queries);
      } finally {
        deleteTree(tmp);
      }
      return 0;
    }
  }

  @Command(name = "near-duplicates", mixinStandardHelpOptions = true,
      description = {"Generate a near-duplicate set (scenes cropped, rescaled, recompressed, flipped, greyed,",
          "brightened, captioned) and report recall@1 and mAP of each descriptor x metric, as markdown."})
  static final class NearDuplicatesBench implements Callable<Integer> {
    @Option(names = "--scenes", paramLabel = "N", description = "Original scenes (default ${DEFAULT-VALUE}).")
    int scenes = 100;

    @Option(names = "--distractors", paramLabel = "N", description = "Unrelated images in the database (default ${DEFAULT-VALUE}).")
    int distractors = 400;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the generated set (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--descriptors", split = ",", paramLabel = "NAME", description = "Descriptors (default: every classic one).")
    List<String> descriptors = imgsearch.descriptor.ClassicDescriptors.names();

    @Override
    public Integer call() {
      List<Descriptor> chosen = Descriptors.parse(imgsearch.descriptor.ClassicDescriptors.registry(), descriptors, null);
      long start = System.nanoTime();
      var set = imgsearch.eval.NearDuplicateSet.generate(seed, scenes, distractors);
      var result = imgsearch.eval.NearDuplicateBenchmark.run(set, chosen);
      System.out.print(result.toMarkdown());
      System.out.printf(Locale.ROOT, "%n%s; took %.1f s.%n", machine(), (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  static void deleteTree(Path root) throws java.io.IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
