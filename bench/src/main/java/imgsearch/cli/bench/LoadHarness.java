package imgsearch.cli.bench;

import imgsearch.cli.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.cli.bench.LoadRequest.Kind;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.file.FileTrees;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.web.ServerConfig;
import imgsearch.web.WebServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves an index in-process on a loopback port and sends it a seeded mix of good and bad requests
 * ({@link LoadPlan}) from concurrent clients. Checks: no 5xx, every good request answered 200 with results,
 * every bad one answered with its documented 4xx and the JSON error body, identical requests answered
 * identically, and the heap after a full GC at the end no larger than after the warm-up plus a bound.
 * Reports p50/p99 per kind of request and overall.
 */
public final class LoadHarness {

  /**
   * @param clients concurrent client threads
   * @param requests timed requests (a tenth of them, at most 200, go first as an untimed warm-up)
   * @param seed seed of the request mix
   * @param maxHeapGrowthBytes how much more the heap may hold after a full GC at the end than after the warm-up
   * @param requestTimeout longest wait for one answer
   */
  public record Settings(int clients, int requests, long seed, long maxHeapGrowthBytes, Duration requestTimeout) {
    public Settings {
      if (clients < 1 || requests < 1) {
        throw UserError.failure("clients and requests must be at least 1");
      }
    }
  }

  /**
   * Used heap, in bytes.
   *
   * @param baseline after a full GC once the warm-up is done
   * @param peak the most seen (sampled every 50 requests, garbage included)
   * @param afterGc after a full GC at 25%, 50% and 75% of the timed requests
   * @param end after a full GC at the end
   * @param max the heap's limit
   */
  public record Heap(long baseline, long peak, List<Long> afterGc, long end, long max) {}

  /**
   * @param images images in the index
   * @param text whether text queries were part of the mix
   * @param seconds wall time of the timed requests
   * @param latency per kind of request, then {@code overall}
   * @param statuses how many answers had each HTTP status
   * @param uploadsSelfFirst share of uploads of an indexed photo answered with that photo first
   * @param heap the heap figures
   * @param checks every verdict
   * @param problems the first few failed requests, described
   */
  public record Report(Settings settings, int images, boolean text, double seconds, Map<String, Percentiles> latency,
      Map<Integer, Integer> statuses, double uploadsSelfFirst, Heap heap, List<Check> checks, List<String> problems) {

    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }

    /** The figures as one JSON object (the command's last line). */
    public String toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("bench", "load");
      json.put("passed", passed());
      json.put("clients", settings.clients());
      json.put("requests", settings.requests());
      json.put("seed", settings.seed());
      json.put("images", images);
      json.put("textQueries", text);
      json.put("seconds", round(seconds));
      json.put("requestsPerSecond", round(settings.requests() / seconds));
      json.put("latencyMs", latency);
      json.put("statuses", statuses);
      json.put("uploadsSelfFirst", round(uploadsSelfFirst));
      Map<String, Object> heapMb = new LinkedHashMap<>();
      heapMb.put("baseline", mb(heap.baseline()));
      heapMb.put("peak", mb(heap.peak()));
      heapMb.put("afterGc", heap.afterGc().stream().map(LoadHarness::mb).toList());
      heapMb.put("end", mb(heap.end()));
      heapMb.put("max", mb(heap.max()));
      json.put("heapMb", heapMb);
      Map<String, Boolean> verdicts = new LinkedHashMap<>();
      checks.forEach(c -> verdicts.put(c.name(), c.passed()));
      json.put("checks", verdicts);
      try {
        return JSON.writeValueAsString(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PHOTOS = 64;
  private static final int HEAP_SAMPLE_EVERY = 50;

  private final Settings settings;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final Map<String, List<String>> firstAnswers = new ConcurrentHashMap<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger serverErrors = new AtomicInteger();
  private final AtomicInteger unanswered = new AtomicInteger();
  private final AtomicInteger goodNot200 = new AtomicInteger();
  private final AtomicInteger badNot4xxJson = new AtomicInteger();
  private final AtomicInteger badOtherCode = new AtomicInteger();
  private final AtomicInteger inconsistent = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger uploadsSelfFirst = new AtomicInteger();
  private final AtomicLong peakHeap = new AtomicLong();
  private final List<Long> afterGc = Collections.synchronizedList(new ArrayList<>());

  LoadHarness(Settings settings) {
    this.settings = settings;
  }

  /**
   * Serves {@code index} (read-only; {@code indexDir} is its folder) on a free loopback port, runs the
   * requests, stops the server and reports. The caller keeps ownership of the index and the registry.
   */
  public static Report run(Settings settings, ImageIndex index, Path indexDir, DescriptorRegistry registry,
      PrintWriter out) throws IOException, InterruptedException {
    // One log line per request would drown the figures; errors still show (before the server's loggers exist).
    System.setProperty("org.slf4j.simpleLogger.log.imgsearch.web", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
    return new LoadHarness(settings).run(index, indexDir, registry, out);
  }

  private Report run(ImageIndex index, Path indexDir, DescriptorRegistry registry, PrintWriter out)
      throws IOException, InterruptedException {
    int images = index.count(ImageFilter.ALL);
    if (images == 0) {
      throw UserError.failure("the index at " + indexDir + " is empty");
    }
    Random random = new Random(settings.seed());
    List<ImageRecord> records = new ArrayList<>(index.list(ImageFilter.ALL, 0, Math.min(images, 1000)));
    List<String> ids = records.stream().map(ImageRecord::id).toList();
    Collections.shuffle(records, random);
    List<LoadPlan.Photo> photos = new ArrayList<>();
    for (ImageRecord r : records) {
      if (photos.size() == PHOTOS) {
        break;
      }
      Path file = Path.of(r.path());
      if (Files.isReadable(file)) {
        photos.add(new LoadPlan.Photo(r.path(), Files.readAllBytes(file)));
      }
    }
    if (photos.isEmpty()) {
      throw UserError.failure("none of the indexed photos can be read (moved or deleted?)");
    }
    Path thumbnails = Files.createTempDirectory("imgsearch-load-thumbnails");
    ServerConfig config = ServerConfig.defaults(indexDir).withPort(0).withCacheDir(thumbnails);
    try (WebServer server = WebServer.start(config, index, registry)) {
      server.warmedUp().exceptionally(e -> 0).join(); // the load starts on a server done with its own warm-up
      String base = server.url();
      boolean text = supportsText(base);
      java.util.function.Predicate<String> indexed = id -> {
        try {
          return index.get(id).isPresent();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      int warmupCount = Math.min(200, settings.requests() / 10);
      List<LoadRequest> warmup = LoadPlan.generate(new Random(settings.seed() + 1), warmupCount, photos, ids, indexed, text);
      List<LoadRequest> plan = LoadPlan.generate(random, settings.requests(), photos, ids, indexed, text);
      out.printf(Locale.ROOT, "load: %d images, %d clients, %d requests after %d warm-up (seed %d), text queries: %s; %s%n",
          images, settings.clients(), plan.size(), warmup.size(), settings.seed(), text ? "yes" : "no (no text model)",
          base);
      out.flush();

      send(base, warmup, false);
      memory.gc();
      long baseline = memory.getHeapMemoryUsage().getUsed();
      peakHeap.set(baseline);
      long start = System.nanoTime();
      Map<Kind, List<Long>> nanos = send(base, plan, true);
      double seconds = (System.nanoTime() - start) / 1e9;
      memory.gc();
      long end = memory.getHeapMemoryUsage().getUsed();
      Heap heap = new Heap(baseline, Math.max(peakHeap.get(), end), List.copyOf(afterGc), end,
          memory.getHeapMemoryUsage().getMax());

      Map<String, Percentiles> latency = new LinkedHashMap<>();
      List<Long> all = new ArrayList<>();
      for (Kind k : Kind.values()) {
        List<Long> n = nanos.getOrDefault(k, List.of());
        if (!n.isEmpty()) {
          latency.put(k.label(), Percentiles.of(n.stream().mapToLong(Long::longValue).toArray()));
          all.addAll(n);
        }
      }
      latency.put("overall", Percentiles.of(all.stream().mapToLong(Long::longValue).toArray()));
      Map<Integer, Integer> byStatus = new TreeMap<>();
      statuses.forEach((s, n) -> byStatus.put(s, n.get()));
      double selfFirst = uploads.get() == 0 ? 0 : uploadsSelfFirst.get() / (double) uploads.get();
      Report report = new Report(settings, images, text, seconds, latency, byStatus, selfFirst, heap, checks(heap),
          List.copyOf(problems));
      print(report, out);
      return report;
    } finally {
      FileTrees.delete(thumbnails);
    }
  }

  List<Check> checks(Heap heap) {
    List<Check> checks = new ArrayList<>();
    checks.add(Check.of("no-5xx", serverErrors.get() == 0, serverErrors.get() + " server errors"));
    checks.add(Check.of("all-answered", unanswered.get() == 0, unanswered.get() + " requests without an answer"));
    checks.add(Check.of("good-200", goodNot200.get() == 0, goodNot200.get() + " good requests not answered 200 with results"));
    checks.add(Check.of("bad-4xx-json", badNot4xxJson.get() == 0,
        badNot4xxJson.get() + " bad requests not answered 4xx with a JSON error body"));
    checks.add(Check.of("bad-documented-code", badOtherCode.get() == 0,
        badOtherCode.get() + " bad requests answered with another status or code than documented"));
    checks.add(Check.of("same-answers", inconsistent.get() == 0,
        inconsistent.get() + " identical requests answered differently"));
    long growth = heap.end() - heap.baseline();
    checks.add(Check.of("heap-bounded", growth <= settings.maxHeapGrowthBytes(), String.format(Locale.ROOT,
        "after GC: %.1f MB at the end, %.1f MB after the warm-up, limit +%.0f MB", mb(heap.end()), mb(heap.baseline()),
        mb(settings.maxHeapGrowthBytes()))));
    return checks;
  }

  private static void print(Report r, PrintWriter out) {
    r.latency().forEach((kind, p) -> out.printf(Locale.ROOT, "%-20s %6d requests  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n",
        kind, p.count(), p.p50Ms(), p.p99Ms(), p.maxMs()));
    out.printf(Locale.ROOT, "%.1f requests/s; statuses %s; uploads answered with the photo itself first: %.1f%%%n",
        r.settings().requests() / r.seconds(), r.statuses(), 100 * r.uploadsSelfFirst());
    out.printf(Locale.ROOT, "heap: %.1f MB after the warm-up, peak %.1f MB, after GC at 25/50/75%%: %s MB, end %.1f MB"
            + " (max %.0f MB)%n", mb(r.heap().baseline()), mb(r.heap().peak()),
        r.heap().afterGc().stream().map(b -> String.format(Locale.ROOT, "%.1f", mb(b))).toList(), mb(r.heap().end()),
        mb(r.heap().max()));
    r.problems().forEach(p -> out.println("  problem: " + p));
    out.println("checks: " + String.join(", ", r.checks().stream().map(Check::toString).toList()));
    out.println(r.toJson());
    out.flush();
  }

  /** Whether /api/descriptors offers a descriptor that searches by words. */
  private boolean supportsText(String base) throws IOException, InterruptedException {
    HttpClient http = client();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/descriptors"))
        .timeout(settings.requestTimeout()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET /api/descriptors answered " + r.statusCode() + ": " + r.body());
    }
    for (JsonNode d : JSON.readTree(r.body()).path("descriptors")) {
      if (d.path("text").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Sends the plan from the client threads; the durations by kind when timed. */
  private Map<Kind, List<Long>> send(String base, List<LoadRequest> plan, boolean timed)
      throws InterruptedException, IOException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(settings.clients(), r -> {
      Thread t = new Thread(r, "imgsearch-load-client");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Map<Kind, List<Long>>>> clients = new ArrayList<>();
      for (int c = 0; c < settings.clients(); c++) {
        clients.add(pool.submit(() -> client(base, plan, next, done, timed)));
      }
      Map<Kind, List<Long>> merged = new EnumMap<>(Kind.class);
      for (Future<Map<Kind, List<Long>>> f : clients) {
        try {
          f.get().forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        } catch (ExecutionException e) {
          throw new IOException("a load client failed: " + e.getCause(), e.getCause());
        }
      }
      return merged;
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<Kind, List<Long>> client(String base, List<LoadRequest> plan, AtomicInteger next, AtomicInteger done,
      boolean timed) throws InterruptedException {
    HttpClient http = client();
    Map<Kind, List<Long>> nanos = new EnumMap<>(Kind.class);
    int total = plan.size();
    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
      LoadRequest req = plan.get(i);
      HttpRequest httpRequest = req.toHttp(base, settings.requestTimeout());
      long t0 = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        unanswered.incrementAndGet();
        problem(req, "no answer: " + e);
        continue;
      }
      long took = System.nanoTime() - t0;
      if (timed) {
        nanos.computeIfAbsent(req.kind(), k -> new ArrayList<>()).add(took);
      }
      verify(req, response);
      int n = done.incrementAndGet();
      if (timed) {
        sampleHeap(n, total);
      }
    }
    return nanos;
  }

  /** Every 50 requests the used heap (for the peak); at each quarter a full GC and the heap that is left. */
  private void sampleHeap(int done, int total) {
    if (done % HEAP_SAMPLE_EVERY == 0) {
      peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }
    for (int q = 1; q <= 3; q++) {
      if (done == (long) total * q / 4 && total >= 4) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        memory.gc();
        afterGc.add(memory.getHeapMemoryUsage().getUsed());
      }
    }
  }

  void verify(LoadRequest req, HttpResponse<String> response) {
    int status = response.statusCode();
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    if (status >= 500) {
      serverErrors.incrementAndGet();
      problem(req, "answered " + status + ": " + abbreviate(response.body()));
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (req.good()) {
      JsonNode results = body == null ? null : body.get("results");
      if (status != 200 || results == null || !results.isArray()) {
        goodNot200.incrementAndGet();
        problem(req, "good request answered " + status + ": " + abbreviate(response.body()));
        return;
      }
      List<String> ids = new ArrayList<>();
      results.forEach(h -> ids.add(h.path("id").asText()));
      if (req.kind() == Kind.BY_ID && ids.contains(req.query().substring("id=".length()))) {
        goodNot200.incrementAndGet();
        problem(req, "an image's own id came back among the images like it");
      }
      List<String> first = firstAnswers.putIfAbsent(req.sameAnswerKey(), ids);
      if (first != null && !first.equals(ids)) {
        inconsistent.incrementAndGet();
        problem(req, "answered " + ids + ", earlier " + first);
      }
      if (req.kind() == Kind.UPLOAD) {
        uploads.incrementAndGet();
        if (results.size() > 0 && req.photoPath().equals(results.get(0).path("path").asText())) {
          uploadsSelfFirst.incrementAndGet();
        }
      }
      return;
    }
    boolean errorBody = body != null && body.path("error").isTextual() && body.path("code").isTextual()
        && body.path("status").asInt(-1) == status;
    if (status < 400 || status > 499 || !errorBody) {
      badNot4xxJson.incrementAndGet();
      problem(req, "bad request answered " + status + ": " + abbreviate(response.body()));
    } else if (status != req.expectedStatus() || !req.expectedCode().equals(body.path("code").asText())) {
      badOtherCode.incrementAndGet();
      problem(req, "answered " + status + " " + body.path("code").asText() + ", documented " + req.expectedStatus() + " "
          + req.expectedCode() + ": " + abbreviate(body.path("error").asText()));
    }
  }

  private void problem(LoadRequest req, String what) {
    if (problems.size() < 20) {
      problems.add(req.kind().label() + (req.query() != null ? " ?" + req.query() : "") + ": " + what);
    }
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }

  static double mb(long bytes) {
    return Math.round(bytes / 1048576.0 * 10) / 10.0;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
