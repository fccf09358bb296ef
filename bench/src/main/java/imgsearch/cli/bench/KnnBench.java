package imgsearch.cli.bench;

import imgsearch.cli.UserError;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.eval.knn.Recall;
import imgsearch.eval.knn.VectorFiles;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexInfo;
import imgsearch.index.Quantization;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An ANN benchmark run through the product's own index code: builds an index of a base file of vectors
 * (registering them as one descriptor, with the same codec, fields and search path as {@code index} and
 * {@code serve}), then searches the query file one query at a time from one thread, raising the search
 * effort (graph candidates, re-scored exactly) along {@link #LADDER} until recall@k against the ground
 * truth reaches the target. Each effort's queries run {@value #PASSES} times and the fastest pass counts,
 * as other processes on a shared machine can only slow a pass down.
 */
public final class KnnBench {

  /** Search efforts tried in order (the hnswlib script tries the same values of ef). */
  public static final int[] LADDER = {10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300, 400,
      500, 700, 1000, 1500, 2000};
  /** Name of the descriptor the base vectors are stored as. */
  public static final String DESCRIPTOR = "vectors";
  private static final int BATCH = 1000;
  /** With searchWhileBuilding: commit this often, as the indexer does (it commits every 10 s or 200 images). */
  static final int COMMIT_SECONDS = 10;
  /** Timed passes over the queries per search effort; the fastest counts. */
  static final int PASSES = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private KnnBench() {}

  /**
   * What to run.
   *
   * @param base vectors to index ({@code .fvecs})
   * @param queries query vectors ({@code .fvecs})
   * @param truth exact neighbours per query ({@code .ivecs})
   * @param k neighbours per query
   * @param quantization how the graph stores vectors
   * @param targetRecall stop raising the effort at this recall@k
   * @param threads indexing threads
   * @param maxQueries use only the first N queries, 0 for all
   * @param reuse search an index built by an earlier run instead of building one
   * @param candidates only this search effort instead of the ladder, or 0
   * @param searchWhileBuilding commit every {@value #COMMIT_SECONDS} s while building and search from a
   *     read-only view meanwhile (as a running server would), reporting the latency while vectors are
   *     added (flushes, background merges), during the final merge, and after it
   */
  public record Settings(Path base, Path queries, Path truth, int k, Quantization quantization, double targetRecall,
      int threads, int maxQueries, boolean reuse, int candidates, boolean searchWhileBuilding) {}

  /** Opens the index to build and search: the same backend as {@code index} and {@code serve} would. */
  public interface Target {
    ImageIndex openForWriting() throws IOException;

    ImageIndex openForReading() throws IOException;

    /** Lucene folder or Solr URI, for the report. */
    String describe();
  }

  /**
   * One search effort's outcome.
   *
   * @param candidates graph candidates per query
   * @param recall recall@k
   * @param qps queries per second, one thread
   * @param p50Ms median latency
   * @param p99Ms 99th percentile latency
   */
  public record Step(int candidates, double recall, double qps, double p50Ms, double p99Ms) {}

  /** Builds (unless reusing) and searches; prints progress and one line per effort; returns the report. */
  public static Map<String, Object> run(Settings s, Target target, PrintWriter out) throws IOException {
    try (HeapPeak heap = new HeapPeak()) {
      VectorFiles.Shape shape = VectorFiles.shapeOf(s.base());
      List<float[]> queries = VectorFiles.readFvecs(s.queries());
      List<int[]> truth = VectorFiles.readIvecs(s.truth());
      if (s.maxQueries() > 0 && queries.size() > s.maxQueries()) {
        queries = queries.subList(0, s.maxQueries());
        truth = truth.subList(0, s.maxQueries());
      }
      check(s, shape, queries, truth);
      DescriptorSpec spec = new DescriptorSpec(DESCRIPTOR, 1, "dim=" + shape.dimension(), shape.dimension(),
          List.of(Metric.DOT));
      out.printf(Locale.ROOT, "%s%n%,d x %d base vectors, %,d queries, k=%d, quantization %s, index %s%n",
          Machine.describe(), shape.count(), shape.dimension(), queries.size(), s.k(), s.quantization().id(),
          target.describe());
      out.flush();

      Map<String, Object> report = new LinkedHashMap<>();
      report.put("backend", target.describe().startsWith("solr") ? "solr" : "lucene");
      report.put("n", shape.count());
      report.put("dim", shape.dimension());
      report.put("k", s.k());
      report.put("queries", queries.size());
      report.put("quantization", s.quantization().id());
      try (ImageIndex index = target.openForWriting()) {
        int existing = index.count(ImageFilter.ALL);
        if (s.reuse()) {
          DescriptorSpec stored = index.descriptors().get(DESCRIPTOR);
          if (existing != shape.count() || stored == null || !stored.compatibleWith(spec)) {
            throw UserError.failure("--reuse: the index at " + target.describe() + " holds " + existing
                + " images, not the " + shape.count() + " vectors of " + s.base() + "; build it first (without --reuse)");
          }
          index.registerDescriptor(spec, s.quantization()); // rewrites it when the quantization changed
          report.put("buildSeconds", null);
        } else {
          if (existing > 0) {
            throw UserError.failure("the index at " + target.describe() + " already holds " + existing
                + " images; give a new --index, or --reuse to search it as it is");
          }
          build(s, spec, index, shape, out, report, queries, target);
        }
      }
      report.put("threads", s.threads());
      try (ImageIndex index = target.openForReading()) {
        IndexInfo info = index.info();
        report.put("indexMB", info.diskBytes() < 0 ? null : round(info.diskBytes() / 1048576.0, 1));
        report.put("candidates", null);
        search(s, index, queries, truth, out, report);
      }
      report.put("heapMB", Math.round(heap.bytes() / 1048576.0));
      report.put("heapMaxMB", Runtime.getRuntime().maxMemory() >> 20);
      report.put("machine", Machine.describe());
      return report;
    }
  }

  private static void check(Settings s, VectorFiles.Shape shape, List<float[]> queries, List<int[]> truth) {
    if (shape.count() == 0) {
      throw UserError.failure(s.base() + " holds no vectors");
    }
    if (queries.isEmpty()) {
      throw UserError.failure(s.queries() + " holds no vectors");
    }
    if (queries.get(0).length != shape.dimension()) {
      throw UserError.failure("the queries have " + queries.get(0).length + " dimensions, the base vectors "
          + shape.dimension());
    }
    if (truth.size() < queries.size()) {
      throw UserError.failure(s.truth() + " has " + truth.size() + " rows for " + queries.size() + " queries");
    }
    if (truth.get(0).length < s.k()) {
      throw UserError.failure(s.truth() + " lists " + truth.get(0).length + " neighbours per query; -k "
          + s.k() + " needs at least that many");
    }
  }

  /** Upserts every base vector from {@code threads} threads, then commits and optimizes (force-merge). */
  private static void build(Settings s, DescriptorSpec spec, ImageIndex index, VectorFiles.Shape shape,
      PrintWriter out, Map<String, Object> report, List<float[]> queries, Target target) throws IOException {
    long start = System.nanoTime();
    index.registerDescriptor(spec, s.quantization());
    ExecutorService pool = Executors.newFixedThreadPool(s.threads(), r -> {
      Thread t = new Thread(r, "imgsearch-knn-build");
      t.setDaemon(true);
      return t;
    });
    Set<String> keys = Set.of(spec.key());
    String file = s.base().getFileName().toString();
    long step = Math.max(BATCH, shape.count() / 10 / BATCH * BATCH);
    ImageIndex reader = null;
    LatencyProbe probe = null;
    long lastCommit = System.nanoTime();
    try (VectorFiles.FvecsReader in = new VectorFiles.FvecsReader(s.base())) {
      Deque<Future<?>> inFlight = new ArrayDeque<>();
      long id = 0;
      while (true) {
        List<float[]> batch = new ArrayList<>(BATCH);
        for (float[] v; batch.size() < BATCH && (v = in.next()) != null; ) {
          batch.add(v);
        }
        if (batch.isEmpty()) {
          break;
        }
        long first = id;
        id += batch.size();
        inFlight.add(pool.submit(() -> {
          for (int i = 0; i < batch.size(); i++) {
            String ordinal = Long.toString(first + i);
            index.upsert(new ImageRecord(ordinal, file + "#" + ordinal, "", 0, 0, 0, null, null, null, keys),
                Map.of(DESCRIPTOR, batch.get(i)));
          }
          return null;
        }));
        while (inFlight.size() > 2 * s.threads()) {
          await(inFlight.removeFirst());
        }
        if (s.searchWhileBuilding() && System.nanoTime() - lastCommit > COMMIT_SECONDS * 1_000_000_000L) {
          index.commit();
          lastCommit = System.nanoTime();
          if (probe == null) {
            reader = target.openForReading();
            probe = new LatencyProbe(reader, DESCRIPTOR, queries, "adding");
          }
        }
        if (id % step == 0) {
          out.printf(Locale.ROOT, "  %,d of %,d vectors added, %.0f s%n", id, shape.count(), (System.nanoTime() - start) / 1e9);
          out.flush();
        }
      }
      while (!inFlight.isEmpty()) {
        await(inFlight.removeFirst());
      }
      index.commit();
      double added = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "added and committed in %.1f s; merging into one segment...%n", added);
      out.flush();
      if (probe != null) {
        probe.phase("merging");
      }
      long mergeStart = System.nanoTime();
      index.optimize();
      double merge = (System.nanoTime() - mergeStart) / 1e9;
      double total = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "built in %.1f s (merge %.1f s)%n", total, merge);
      out.flush();
      report.put("buildSeconds", round(total, 1));
      report.put("mergeSeconds", round(merge, 1));
      if (probe != null) {
        probe.phase("idle");
        Thread.sleep(COMMIT_SECONDS * 1000L);
        probe.close();
        if (probe.failure() != null) {
          throw new IOException("searching while building failed: " + probe.failure(), probe.failure());
        }
        Map<String, Map<String, Object>> latency = probe.summary();
        latency.forEach((phase, m) -> out.printf(Locale.ROOT, "searches while %s: %s%n", phase, m));
        report.put("latencyWhileBuilding", latency);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      pool.shutdownNow();
      if (probe != null) {
        try {
          probe.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (reader != null) {
        reader.close();
      }
    }
  }

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException("indexing failed: " + c, c);
    }
  }

  /** Raises the effort along the ladder until the target recall; the report takes the step that reached it. */
  private static void search(Settings s, ImageIndex index, List<float[]> queries, List<int[]> truth, PrintWriter out,
      Map<String, Object> report) throws IOException {
    int[] efforts = s.candidates() > 0 ? new int[] {s.candidates()}
        : Arrays.stream(LADDER).filter(c -> c >= s.k()).toArray();
    // Warm-up: the JIT compiles the search path before anything is timed.
    runQueries(index, queries.subList(0, Math.min(queries.size(), 500)), s.k(), efforts[0]);
    Step reached = null;
    Step last = null;
    for (int c : efforts) {
      // The fastest of PASSES passes: on a shared machine other processes only ever slow a pass down.
      long[] nanos = null;
      List<int[]> found = null;
      for (int pass = 0; pass < PASSES; pass++) {
        long[] times = new long[queries.size()];
        found = runQueries(index, queries, s.k(), c, times);
        if (nanos == null || Arrays.stream(times).sum() < Arrays.stream(nanos).sum()) {
          nanos = times;
        }
      }
      double seconds = Arrays.stream(nanos).sum() / 1e9;
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      last = new Step(c, Recall.at(s.k(), found, truth.subList(0, queries.size())), queries.size() / seconds,
          sorted[sorted.length / 2] / 1e6, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6);
      out.printf(Locale.ROOT, "candidates=%5d  recall@%d=%.4f  qps=%9.1f  p50=%.3f ms  p99=%.3f ms%n", c, s.k(),
          last.recall(), last.qps(), last.p50Ms(), last.p99Ms());
      out.flush();
      if (last.recall() >= s.targetRecall()) {
        reached = last;
        break;
      }
    }
    Step chosen = reached != null ? reached : last;
    report.put("candidates", chosen.candidates());
    report.put("recall@" + s.k(), round(chosen.recall(), 4));
    report.put("qps", round(chosen.qps(), 1));
    report.put("p50Ms", round(chosen.p50Ms(), 3));
    report.put("p99Ms", round(chosen.p99Ms(), 3));
    report.put("targetRecall", s.targetRecall());
    report.put("reachedTarget", reached != null);
  }

  private static List<int[]> runQueries(ImageIndex index, List<float[]> queries, int k, int candidates)
      throws IOException {
    return runQueries(index, queries, k, candidates, new long[queries.size()]);
  }

  private static List<int[]> runQueries(ImageIndex index, List<float[]> queries, int k, int candidates, long[] nanos)
      throws IOException {
    List<int[]> found = new ArrayList<>(queries.size());
    DescriptorSpec spec = index.descriptor(DESCRIPTOR);
    for (int i = 0; i < queries.size(); i++) {
      long t = System.nanoTime();
      List<SearchHit> hits = index.search(new VectorQuery(spec, Metric.DOT, queries.get(i), k, false,
          ImageFilter.ALL, null, candidates));
      nanos[i] = System.nanoTime() - t;
      int[] ids = new int[hits.size()];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = Integer.parseInt(hits.get(j).image().id());
      }
      found.add(ids);
    }
    return found;
  }

  /** The report as one line of JSON. */
  public static String json(Map<String, Object> report) throws IOException {
    return JSON.writeValueAsString(report);
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }
}
