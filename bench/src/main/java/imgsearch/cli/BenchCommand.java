package imgsearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.cli.bench.ChildJvm;
import imgsearch.cli.bench.Machine;
import imgsearch.cli.bench.Multipart;
import imgsearch.cli.bench.PythonReference;
import imgsearch.cli.bench.WrkClient;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.file.FileTrees;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.index.VectorQuery;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.web.ServerConfig;
import imgsearch.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        BenchKillIndexCommand.class, BenchLoadCommand.class, BenchKnnCommand.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static String machine() {
    return Machine.describe();
  }

  @Command(name = "index", mixinStandardHelpOptions = true,
      description = {"Time 'imgsearch index DIR' as a user runs it (a fresh JVM into a fresh index, wall "
              + "clock from start to exit) next to the reference: libjpeg-turbo decoding every file at full "
              + "size (Debian's python3-pil, one process per core). The two run alternately, --rounds times; "
              + "each round prints both rates and their ratio, and the last line the median ratio."})
  static final class IndexBench implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A folder of photos, e.g. the one bench/make-photos.sh builds.")
    Path dir;

    @Option(names = "--descriptors", split = ",", paramLabel = "NAME", description = "Descriptors (default: ${DEFAULT-VALUE}).")
    List<String> descriptors = imgsearch.descriptor.ClassicDescriptors.defaults();

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of reference then imgsearch (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--processes", paramLabel = "N", description = "Reference decoder processes (default: cores).")
    int processes = Runtime.getRuntime().availableProcessors();

    @Option(names = "--python", paramLabel = "PATH", description = "Python with Pillow (default ${DEFAULT-VALUE}).")
    String python = PythonReference.DEFAULT_PYTHON;

    @Option(names = "--no-reference", description = "Time imgsearch only.")
    boolean noReference;

    @Option(names = "--jar", paramLabel = "JAR",
        description = "Time another build's imgsearch.jar (e.g. one built before a change) instead of this one.")
    Path jar;

    @Override
    public Integer call() throws Exception {
      List<Path> files = imageFiles(dir);
      if (files.isEmpty()) {
        throw UserError.usage("there are no image files under " + dir);
      }
      Path work = Files.createTempDirectory("imgsearch-bench-index");
      try {
        PythonReference reference = noReference ? null : new PythonReference(python, work);
        System.out.printf(Locale.ROOT, "%s%n%d image files in %s; imgsearch: %s%n", Machine.describe(), files.size(),
            dir, jar == null ? "this build" : jar);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          String line = String.format(Locale.ROOT, "round %d:", round);
          double referenceRate = 0;
          double referenceCpuPerImage = Double.NaN;
          if (reference != null) {
            JsonNode r = reference.decode(files, processes);
            referenceRate = r.get("imagesPerSecond").asDouble();
            referenceCpuPerImage = r.path("cpuSeconds").asDouble(Double.NaN) / r.get("images").asDouble();
            line += String.format(Locale.ROOT, " reference %.1f images/s (libjpeg-turbo via Pillow %s, full size, "
                + "%d processes, %.2f s, %.2f ms CPU/image)", referenceRate, r.get("pillow").asText(), processes,
                r.get("seconds").asDouble(), referenceCpuPerImage * 1000);
          }
          Path index = work.resolve("index-" + round);
          double load = Machine.load();
          List<String> args = new ArrayList<>(List.of("index", dir.toString(), "--index", index.toString(),
              "--descriptors", String.join(",", descriptors)));
          // GNU time, where there is one, measures the child's CPU time, which other work on the machine
          // inflates much less than the wall clock.
          Path times = work.resolve("time-" + round + ".txt");
          List<String> wrapper = Files.isExecutable(Path.of("/usr/bin/time"))
              ? List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()) : List.of();
          long start = System.nanoTime();
          ChildJvm child = ChildJvm.start(args, work.resolve("index-" + round + ".log"),
              jar == null ? null : jar.toAbsolutePath().toString(), wrapper);
          int exit = child.waitFor(3600);
          double seconds = (System.nanoTime() - start) / 1e9;
          if (exit != 0) {
            throw UserError.failure("imgsearch index exited with " + exit + ":\n" + child.output());
          }
          int indexed;
          try (LuceneImageIndex written = LuceneImageIndex.openReadOnly(index)) {
            indexed = written.count(ImageFilter.ALL);
          }
          double rate = indexed / seconds;
          double cpu = Files.exists(times) ? cpuSeconds(Files.readString(times)) : Double.NaN;
          line += String.format(Locale.ROOT, "%s imgsearch index %.1f images/s (%d indexed, %.2f s wall clock, cold JVM,"
              + " %.2f ms CPU/image, load %.1f)", reference != null ? " |" : "", rate, indexed, seconds,
              cpu * 1000 / indexed, load);
          if (reference != null) {
            ratios.add(rate / referenceRate);
            line += String.format(Locale.ROOT, " | ratio %.2f (CPU per image: %.2f)", rate / referenceRate,
                referenceCpuPerImage / (cpu / indexed));
          }
          System.out.println(line);
          FileTrees.delete(index);
        }
        if (!ratios.isEmpty()) {
          List<Double> sorted = ratios.stream().sorted().toList();
          System.out.printf(Locale.ROOT, "median ratio imgsearch / reference: %.2f (rounds: %s)%n",
              sorted.get(sorted.size() / 2), ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
        }
      } finally {
        FileTrees.delete(work);
      }
      return 0;
    }
  }

  /** User plus system seconds from GNU time's "%U %S" (its last line: a killed child adds a line before it). */
  private static double cpuSeconds(String timeOutput) {
    String[] lines = timeOutput.strip().split("\n");
    String[] parts = lines[lines.length - 1].trim().split("\\s+");
    try {
      return Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The image files under a folder, as the indexer finds them (sorted; hidden files and index folders skipped). */
  static List<Path> imageFiles(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(imgsearch.image.ImageFiles::hasImageExtension)
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = {"Serve the index on a free loopback port and time POST /api/search with uploaded photos.",
          "With --reference (pixels with l1, or hsv-hist with chi2), also times the same pipeline written "
              + "in numpy and Pillow (bench/reference_query.py) on the same database and query photos, "
              + "alternately, and prints the ratio."})
  static final class QueryBench implements Callable<Integer> {
    @Mixin IndexLocation location;

    @Mixin ModelLocation models;

    @Option(names = "--descriptor", paramLabel = "NAME", description = "Descriptor (default: the server's default).")
    String descriptor;

    @Option(names = "--metric", paramLabel = "M", description = "Metric (default: the descriptor's default).")
    String metric;

    @Option(names = "--queries", paramLabel = "N", description = "Timed queries per round (default ${DEFAULT-VALUE}).")
    int queries = 300;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed queries first (default ${DEFAULT-VALUE}).")
    int warmup = 200;

    @Option(names = "--photos", paramLabel = "N", description = "Distinct indexed photos uploaded, spread over the"
        + " index (default ${DEFAULT-VALUE}).")
    int photos = 50;

    @Option(names = "--upload-size", paramLabel = "PX", description = "Re-encode the uploads (JPEG, quality 90) to fit"
        + " PX x PX, e.g. 1024 (default: the photos as they are).")
    Integer uploadSize;

    @Option(names = "--reference", description = "Also time the numpy/Pillow pipeline (Debian's python3-pil and python3-numpy).")
    boolean reference;

    @Option(names = "--rounds", paramLabel = "N", description = "With --reference: rounds of imgsearch then the"
        + " reference (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--python", paramLabel = "PATH", description = "Python with Pillow and numpy (default ${DEFAULT-VALUE}).")
    String python = PythonReference.DEFAULT_PYTHON;

    @Option(names = "--wrk-seconds", paramLabel = "S", description = "Also time the uploads with wrk (Debian's wrk), from"
        + " a process of its own, for S seconds after as many of warm-up, when it is installed; 0: do not"
        + " (default ${DEFAULT-VALUE}).")
    int wrkSeconds = 10;

    @Override
    public Integer call() throws Exception {
      // One log line per request would drown the figures.
      System.setProperty("org.slf4j.simpleLogger.log.imgsearch.web", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
      Path indexDir = location.path();
      Path work = Files.createTempDirectory("imgsearch-bench-query");
      try (LuceneImageIndex index = LuceneImageIndex.openReadOnly(indexDir);
           Descriptors known = Descriptors.load(models.options(new java.io.PrintWriter(System.err, true)));
           WebServer server = WebServer.start(ServerConfig.defaults(indexDir).withPort(0), index, known.registry())) {
        server.warmedUp().exceptionally(e -> 0).join(); // measured as people meet it: after the server's own warm-up
        int total = index.count(ImageFilter.ALL);
        List<ImageRecord> all = index.list(ImageFilter.ALL, 0, total);
        if (all.isEmpty()) {
          throw UserError.failure("the index is empty");
        }
        String referenceMethod = reference ? referenceMethod(index) : null;
        List<Path> uploadFiles = new ArrayList<>();
        int count = Math.min(photos, all.size());
        for (int i = 0; i < count; i++) {
          Path original = Path.of(all.get((int) ((long) i * all.size() / count)).path());
          uploadFiles.add(uploadSize == null ? original : resized(original, uploadSize, work.resolve("upload-" + i + ".jpg")));
        }
        List<byte[]> uploads = new ArrayList<>();
        for (Path f : uploadFiles) {
          uploads.add(Files.readAllBytes(f));
        }
        // One request at a time over a kept-alive HTTP/1.1 connection, each response handled on the client's own
        // selector thread rather than handed to a pool thread: on two cores shared with the server, every
        // hand-over shows in the latency (p50 5.1-5.5 ms with the default client, 3.9-4.7 ms with this one).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build();
        URI uri = URI.create(server.url() + "/api/search");
        for (int i = 0; i < warmup; i++) {
          post(http, uri, uploads.get(i % uploads.size()));
        }
        System.out.printf(Locale.ROOT, "%s%n%d images in the index, descriptor %s, metric %s, %d queries after %d warm-up,"
            + " %d photos uploaded%s%n", Machine.describe(), total, descriptor == null ? "(default)" : descriptor,
            metric == null ? "(default)" : metric, queries, warmup, uploads.size(),
            uploadSize == null ? " as they are" : " re-encoded to fit " + uploadSize + " px");
        printModels(http, URI.create(server.url() + "/api/health"));
        PythonReference numpy = referenceMethod == null ? null : new PythonReference(python, work);
        List<Path> database = all.stream().map(r -> Path.of(r.path())).toList();
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= (numpy == null ? 1 : rounds); round++) {
          long[] nanos = new long[queries];
          double load = Machine.load();
          for (int i = 0; i < queries; i++) {
            long t = System.nanoTime();
            post(http, uri, uploads.get(i % uploads.size()));
            nanos[i] = System.nanoTime() - t;
          }
          String line = report("POST /api/search (upload)", nanos) + String.format(Locale.ROOT, " (load %.1f)", load);
          if (numpy != null) {
            JsonNode r = numpy.query(referenceMethod, pixelSize(index), database, uploadFiles);
            double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
            ratios.add(mean / r.get("meanMs").asDouble());
            line = String.format(Locale.ROOT, "round %d: imgsearch %s | reference %s in numpy %s: mean %.2f ms, p50 %.2f ms,"
                + " p95 %.2f ms over %d images | ratio of means %.2f", round, line, referenceMethod, r.get("numpy").asText(),
                r.get("meanMs").asDouble(), r.get("p50Ms").asDouble(), r.get("p95Ms").asDouble(),
                r.get("database").asInt(), mean / r.get("meanMs").asDouble());
          }
          System.out.println(line);
        }
        if (!ratios.isEmpty()) {
          List<Double> sorted = ratios.stream().sorted().toList();
          System.out.printf(Locale.ROOT, "median ratio imgsearch / reference (mean query time): %.2f (rounds: %s)%n",
              sorted.get(sorted.size() / 2), ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
        }
        long[] nanos = new long[queries];
        for (int i = 0; i < queries; i++) {
          String id = all.get((int) ((long) (i % count) * all.size() / count)).id();
          URI byId = URI.create(server.url() + "/api/search?id=" + id
              + (descriptor == null ? "" : "&descriptor=" + descriptor) + (metric == null ? "" : "&metric=" + metric));
          long t = System.nanoTime();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(byId).build(), HttpResponse.BodyHandlers.ofString());
          nanos[i] = System.nanoTime() - t;
          if (r.statusCode() != 200) {
            throw UserError.failure("the server answered " + r.statusCode() + ": " + r.body());
          }
        }
        System.out.println(report("GET /api/search?id= (more like an indexed image)", nanos));
        timeWithWrk(uri, uploads, work);
      } finally {
        FileTrees.delete(work);
      }
      return 0;
    }

    /** The deep models the server loaded and the execution provider each runs on, from /api/health. */
    private static void printModels(HttpClient http, URI health) throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode models = new ObjectMapper().readTree(r.body()).path("models");
      for (JsonNode m : models) {
        System.out.printf("%s (%s): ONNX Runtime execution provider %s%s%n", m.path("descriptor").asText(),
            m.path("model").asText(), m.path("executionProvider").asText(),
            m.hasNonNull("note") ? " (" + m.path("note").asText() + ")" : "");
      }
    }

    /** The reference pipeline matching the descriptor and metric, or a usage error. */
    private String referenceMethod(LuceneImageIndex index) throws java.io.IOException {
      String d = descriptor == null ? new imgsearch.search.ImageSearcher(index,
          imgsearch.descriptor.ClassicDescriptors.registry()).defaultDescriptor() : descriptor;
      DescriptorSpec spec = index.descriptors().get(d);
      Metric m = metric != null ? Metric.fromId(metric) : spec == null ? null : spec.metrics().get(0);
      if ("pixels".equals(d) && m == Metric.L1) {
        return "pixels-l1";
      }
      if ("hsv-hist".equals(d) && m == Metric.CHI_SQUARED) {
        return "hsv-chi2";
      }
      throw UserError.usage("--reference compares pixels with --metric l1, or hsv-hist with --metric chi2");
    }

    private static int pixelSize(LuceneImageIndex index) throws java.io.IOException {
      DescriptorSpec pixels = index.descriptors().get("pixels");
      return pixels == null ? 224 : (int) Math.round(Math.sqrt(pixels.dimension() / 3.0));
    }

    /** The photo scaled to fit {@code side x side} (never enlarged), written as a quality-90 JPEG. */
    private static Path resized(Path photo, int side, Path out) throws Exception {
      java.awt.image.BufferedImage image = new ImageDecoder().decode(photo).image();
      double scale = Math.min(1.0, (double) side / Math.max(image.getWidth(), image.getHeight()));
      int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
      int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
      java.awt.image.BufferedImage small = imgsearch.image.ImageScaling.resize(image, w, h);
      Files.write(out, imgsearch.image.JpegEncoder.encode(small, 0.9f));
      return out;
    }

    private static String report(String what, long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return String.format(Locale.ROOT, "%s: mean %.2f ms, p50 %.2f ms, p95 %.2f ms, max %.2f ms", what,
          Arrays.stream(nanos).average().orElse(0) / 1e6, sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.95)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /** The same uploads timed by wrk, from a process of its own, when it is installed. */
    private void timeWithWrk(URI uri, List<byte[]> uploads, Path work) throws java.io.IOException {
      if (wrkSeconds <= 0) {
        return;
      }
      java.util.Optional<WrkClient> wrk = WrkClient.find();
      if (wrk.isEmpty()) {
        System.out.println("POST /api/search (upload) timed by wrk: skipped, wrk is not installed (apt-get install wrk)");
        return;
      }
      List<byte[]> bodies = uploads.stream().map(u -> Multipart.body(formFields(), u)).toList();
      WrkClient.Result r = wrk.get().post(uri, Multipart.CONTENT_TYPE, bodies, wrkSeconds, work);
      System.out.printf(Locale.ROOT, "POST /api/search (upload) timed by wrk (its own process, one kept-alive connection,"
          + " %d s after %d s of warm-up): %s%n", wrkSeconds, wrkSeconds, r);
    }

    private Map<String, String> formFields() {
      Map<String, String> fields = new java.util.HashMap<>();
      fields.put("descriptor", descriptor);
      fields.put("metric", metric);
      return fields;
    }

    private void post(HttpClient http, URI uri, byte[] image) throws Exception {
      HttpResponse<String> r = http.send(Multipart.post(uri, formFields(), image),
          HttpResponse.BodyHandlers.ofString());
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
        VectorQuery query = new VectorQuery(index.descriptor("pixels"), scanned, q, 10, true, ImageFilter.ALL, null);
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
        FileTrees.delete(tmp);
      }
      return 0;
    }
  }

  @Command(name = "near-duplicates", mixinStandardHelpOptions = true,
      description = "Near-duplicate retrieval on real photos: builds (once) a set from pictures Debian packages "
          + "install (originals, look-alike distractors, a dozen edits and other published versions of each original, "
          + "split into a tune and a held-out part), indexes it, uploads every query to the HTTP API and reports "
          + "recall@1 and mAP per part and kind of edit, as markdown. --generated runs the older generated-scene set "
          + "instead (docs/near-duplicates.md).")
  static final class NearDuplicatesBench implements Callable<Integer> {
    @Option(names = "--set", paramLabel = "DIR", description = "Folder of the photo set; built there when missing "
        + "(default: $IMGSEARCH_HOME/near-duplicates, else ~/.local/share/imgsearch/near-duplicates).")
    Path setDir;

    @Option(names = "--share", paramLabel = "DIR", description = "Where the Debian packages' pictures are (default ${DEFAULT-VALUE}).")
    Path share = Path.of("/usr/share");

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the edits (photo set) or of the scenes (--generated) (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--build-only", description = "Build the photo set (or check it is there) and stop.")
    boolean buildOnly;

    @Option(names = "--descriptors", split = ",", paramLabel = "NAME", description = "Descriptors (default: ${DEFAULT-VALUE}).")
    List<String> descriptors = imgsearch.descriptor.ClassicDescriptors.defaults();

    @Option(names = "--all-metrics", description = "Ask every metric of each descriptor, not only its default.")
    boolean allMetrics;

    @Option(names = "--ranks", paramLabel = "FILE", description = "Also write each query's rank of its original (TSV).")
    Path ranks;

    @Option(names = "--generated", description = "Run the generated-scene set (in memory, exact ranking) instead.")
    boolean generated;

    @Option(names = "--scenes", paramLabel = "N", description = "--generated: original scenes (default ${DEFAULT-VALUE}).")
    int scenes = 100;

    @Option(names = "--distractors", paramLabel = "N", description = "--generated: unrelated images (default ${DEFAULT-VALUE}).")
    int distractors = 400;

    @Override
    public Integer call() throws Exception {
      List<Descriptor> chosen = Descriptors.parse(imgsearch.descriptor.ClassicDescriptors.registry(), descriptors, null);
      long start = System.nanoTime();
      if (generated) {
        var set = imgsearch.eval.NearDuplicateSet.generate(seed, scenes, distractors);
        var result = imgsearch.eval.NearDuplicateBenchmark.run(set, chosen);
        System.out.print(result.toMarkdown());
        System.out.printf(Locale.ROOT, "%n%s; took %.1f s.%n", machine(), (System.nanoTime() - start) / 1e9);
        return 0;
      }
      System.setProperty("org.slf4j.simpleLogger.log.imgsearch.web", "warn");
      System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
      java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
      Path dir = (setDir != null ? setDir : IndexLocation.defaultPath().resolveSibling("near-duplicates")).toAbsolutePath();
      var set = imgsearch.eval.PhotoNearDuplicateSet.loadOrBuild(dir, share, seed, err::println);
      System.out.printf(Locale.ROOT, "Set: %s (builder v%s, seed %d): %d database images (%s originals), %s + %s queries "
          + "(tune + held-out).%n%n", dir, set.info().get("builderVersion"), set.seed(), set.database().size(),
          set.info().get("originals"), set.info().get("queriesTune"), set.info().get("queriesHeldOut"));
      if (buildOnly) {
        return 0;
      }
      List<imgsearch.cli.bench.NearDuplicateHarness.Method> methods = new ArrayList<>();
      for (Descriptor d : chosen) {
        for (Metric m : allMetrics ? d.metrics() : List.of(d.defaultMetric())) {
          methods.add(new imgsearch.cli.bench.NearDuplicateHarness.Method(d.name(), m));
        }
      }
      var scores = new imgsearch.cli.bench.NearDuplicateHarness(set, imgsearch.descriptor.ClassicDescriptors.registry(), err)
          .run(chosen, methods, ranks);
      System.out.print(scores.toMarkdown());
      System.out.printf(Locale.ROOT, "%s; took %.1f s.%n", machine(), (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }
}
