package imgsearch.eval;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.eval.EvalReport.MethodResult;
import imgsearch.eval.EvalReport.Scores;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import imgsearch.search.InvalidQueryException;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Measures how well each descriptor x metric of an index retrieves images of the same class: every test
 * image is a query (its stored vector), the train images are the database, ranked completely by an exact
 * scan, and a result is relevant when its class equals the query's.
 *
 * <p>Queries run in parallel on a fixed number of threads; the index must allow concurrent searches.
 */
public final class Evaluator {

  /** Split names as the indexer records them. */
  public static final String TRAIN = "train";
  public static final String TEST = "test";
  /** Largest k of the precision-at-k curve. */
  public static final int CURVE_DEPTH = 20;
  /** The message of the exception thrown for an index without both splits. */
  public static final String NO_SPLIT_MESSAGE =
      "this index has no train/test split: index a folder with train/<class>/ and test/<class>/";

  /** Receives progress, on the thread that called {@link #evaluate}: queries done out of total. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void update(int done, int total);
  }

  private static final ImageFilter TRAIN_IMAGES = new ImageFilter(TRAIN, null);
  private static final ImageFilter TEST_IMAGES = new ImageFilter(TEST, null);
  private static final int PAGE = 1000;

  private final ImageIndex index;
  private final int threads;

  /** Evaluates on as many threads as there are cores. */
  public Evaluator(ImageIndex index) {
    this(index, Runtime.getRuntime().availableProcessors());
  }

  public Evaluator(ImageIndex index, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.index = index;
    this.threads = threads;
  }

  /** Whether the index has both train and test images, i.e. whether {@link #evaluate} can run. */
  public static boolean hasTrainTestSplit(ImageIndex index) throws IOException {
    return index.count(TRAIN_IMAGES) > 0 && index.count(TEST_IMAGES) > 0;
  }

  /** Evaluates every descriptor of the index with every metric it supports. */
  public EvalReport evaluate() throws IOException {
    return evaluate(List.of(), List.of(), Progress.NONE);
  }

  /**
   * Evaluates a subset of descriptors and metrics.
   *
   * @param descriptors descriptor names; empty means all in the index
   * @param metrics metrics; empty means all each descriptor supports. A descriptor is evaluated with
   *     those of them it supports
   * @param progress told after each query of each method
   * @throws EvaluationException when the index lacks train or test images
   * @throws InvalidQueryException when a named descriptor is not in the index, or no descriptor
   *     supports any of the metrics
   */
  public EvalReport evaluate(Collection<String> descriptors, Collection<Metric> metrics, Progress progress)
      throws IOException {
    long start = System.nanoTime();
    if (!hasTrainTestSplit(index)) {
      throw new EvaluationException(EvaluationException.Reason.NO_SPLIT, NO_SPLIT_MESSAGE);
    }
    Map<DescriptorSpec, List<Metric>> plan = plan(descriptors, metrics);
    int databaseImages = index.count(TRAIN_IMAGES);

    List<ImageRecord> queries = new ArrayList<>();
    Map<String, Integer> relevantPerClass = new HashMap<>();
    int skipped = 0;
    for (ImageRecord image : listAll(TEST_IMAGES)) {
      String label = image.label();
      if (label != null && !relevantPerClass.containsKey(label)) {
        relevantPerClass.put(label, index.count(new ImageFilter(TRAIN, label)));
      }
      if (label == null || relevantPerClass.get(label) == 0) {
        skipped++;
      } else {
        queries.add(image);
      }
    }
    if (queries.isEmpty()) {
      throw new EvaluationException(EvaluationException.Reason.NO_SHARED_CLASS,
          "no test image has a class that also has train images: test/<class>/ "
          + "and train/<class>/ must use the same class names");
    }

    int total = queries.size() * plan.values().stream().mapToInt(List::size).sum();
    int done = 0;
    progress.update(0, total);
    List<MethodResult> results = new ArrayList<>();
    for (var entry : plan.entrySet()) {
      DescriptorSpec spec = entry.getKey();
      List<Metric> specMetrics = entry.getValue();
      // results[metric][query]; a slot stays null when the query image has no vector for this descriptor
      QueryResult[][] perQuery = new QueryResult[specMetrics.size()][queries.size()];
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        CompletionService<Integer> work = new ExecutorCompletionService<>(pool);
        for (int q = 0; q < queries.size(); q++) {
          int queryIndex = q;
          work.submit(() -> {
            ImageRecord query = queries.get(queryIndex);
            Optional<float[]> vector = index.vector(query.id(), spec);
            if (vector.isPresent()) {
              int relevant = relevantPerClass.get(query.label());
              for (int m = 0; m < specMetrics.size(); m++) {
                perQuery[m][queryIndex] = rank(query, vector.get(), spec, specMetrics.get(m),
                    databaseImages, relevant);
              }
            }
            return queryIndex;
          });
        }
        for (int q = 0; q < queries.size(); q++) {
          await(work, pool);
          done += specMetrics.size();
          progress.update(done, total);
        }
      }
      for (int m = 0; m < specMetrics.size(); m++) {
        results.add(summarize(spec, specMetrics.get(m), perQuery[m]));
      }
    }

    var parameters = new EvalReport.Parameters(
        plan.keySet().stream().map(DescriptorSpec::name).toList(),
        plan.values().stream().flatMap(List::stream).distinct().map(Metric::id).toList(),
        true, CURVE_DEPTH);
    List<String> classes = List.copyOf(new TreeSet<>(queries.stream().map(ImageRecord::label).toList()));
    return new EvalReport(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), parameters, queries.size(),
        skipped, databaseImages, classes, (System.nanoTime() - start) / 1_000_000, results);
  }

  /** The descriptor x metric pairs to evaluate, in index order. */
  private Map<DescriptorSpec, List<Metric>> plan(Collection<String> descriptors, Collection<Metric> metrics)
      throws IOException {
    Set<Metric> wanted = metrics == null ? Set.of() : Set.copyOf(metrics);
    Map<String, DescriptorSpec> indexed = index.descriptors();
    List<String> names = descriptors == null || descriptors.isEmpty()
        ? List.copyOf(indexed.keySet()) : List.copyOf(new LinkedHashSet<>(descriptors));
    if (names.isEmpty()) {
      throw new InvalidQueryException(InvalidQueryException.Reason.EMPTY_INDEX,
          "the index holds no descriptor vectors: run 'imgsearch index DIR' first");
    }
    Map<DescriptorSpec, List<Metric>> plan = new LinkedHashMap<>();
    for (String name : names) {
      DescriptorSpec spec = VectorQuery.descriptorIn(indexed, name);
      List<Metric> chosen = spec.metrics().stream()
          .filter(m -> wanted.isEmpty() || wanted.contains(m))
          .toList();
      if (!chosen.isEmpty()) {
        plan.put(spec, chosen);
      }
    }
    if (plan.isEmpty()) {
      throw new InvalidQueryException(InvalidQueryException.Reason.UNAVAILABLE_METRIC,
          "none of the descriptors " + names + " supports the metrics "
          + wanted.stream().map(Metric::id).sorted().toList());
    }
    return plan;
  }

  /** The measures of one query: the whole train set ranked by an exact scan. */
  private QueryResult rank(ImageRecord query, float[] vector, DescriptorSpec spec, Metric metric, int databaseImages,
      int relevant) throws IOException {
    List<SearchHit> hits = index.search(
        new VectorQuery(spec, metric, vector, databaseImages, true, TRAIN_IMAGES, query.id()));
    boolean[] isRelevant = new boolean[hits.size()];
    for (int i = 0; i < isRelevant.length; i++) {
      isRelevant[i] = query.label().equals(hits.get(i).image().label());
    }
    double[] precisionAtK = new double[CURVE_DEPTH];
    for (int k = 1; k <= CURVE_DEPTH; k++) {
      precisionAtK[k - 1] = RankingMetrics.precisionAt(isRelevant, k);
    }
    return new QueryResult(query.label(), RankingMetrics.averagePrecision(isRelevant, relevant), precisionAtK,
        RankingMetrics.recallAt(isRelevant, 10, relevant));
  }

  private record QueryResult(String label, double averagePrecision, double[] precisionAtK, double recallAt10) {}

  /** Means over all queries and per class; summed in query order so reruns give identical numbers. */
  private static MethodResult summarize(DescriptorSpec spec, Metric metric, QueryResult[] results) {
    Mean overall = new Mean();
    Map<String, Mean> perClass = new TreeMap<>();
    for (QueryResult r : results) {
      if (r != null) {
        overall.add(r);
        perClass.computeIfAbsent(r.label(), c -> new Mean()).add(r);
      }
    }
    Map<String, Scores> classScores = new TreeMap<>();
    perClass.forEach((c, mean) -> classScores.put(c, mean.scores()));
    return new MethodResult(spec.name(), spec.title(), metric.id(), overall.scores(), classScores,
        overall.precisionAtK());
  }

  /** Running sums of the per-query measures. */
  private static final class Mean {
    int n;
    double ap;
    double r10;
    final double[] precisionAtK = new double[CURVE_DEPTH];

    void add(QueryResult r) {
      n++;
      ap += r.averagePrecision();
      r10 += r.recallAt10();
      for (int k = 0; k < CURVE_DEPTH; k++) {
        precisionAtK[k] += r.precisionAtK()[k];
      }
    }

    double mean(double sum) {
      return n == 0 ? 0 : sum / n;
    }

    Scores scores() {
      return new Scores(n, mean(ap), mean(precisionAtK[0]), mean(precisionAtK[4]), mean(precisionAtK[9]), mean(r10));
    }

    List<Double> precisionAtK() {
      List<Double> curve = new ArrayList<>();
      for (double sum : precisionAtK) {
        curve.add(mean(sum));
      }
      return curve;
    }
  }

  private List<ImageRecord> listAll(ImageFilter filter) throws IOException {
    List<ImageRecord> all = new ArrayList<>();
    while (true) {
      List<ImageRecord> page = index.list(filter, all.size(), PAGE);
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
    }
  }

  /** Waits for the next finished query, passing on its failure and stopping the others. */
  private static void await(CompletionService<Integer> work, ExecutorService pool) throws IOException {
    try {
      work.take().get();
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new IOException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      pool.shutdownNow();
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("evaluation failed: " + cause, cause);
    }
  }
}
