package imgsearch.index;

import imgsearch.descriptor.Metric;
import java.util.Objects;

/**
 * A nearest-neighbour query against one descriptor's vectors.
 *
 * @param descriptor descriptor name
 * @param metric how to compare; must be one of the descriptor's metrics
 * @param vector the query vector, described with the index's spec of that descriptor
 * @param k how many results
 * @param exact true to scan every stored vector; false lets the index use its HNSW graph where the
 *     metric allows (it falls back to a scan where it does not)
 * @param filter which images may be returned
 * @param excludeId an image id never returned (the query image itself in "more like this"), or null
 * @param candidates search effort of a graph search: how many nearest candidates the graph search
 *     gathers (and the index re-scores exactly before keeping the best {@code k}); more is slower and
 *     finds more of the true neighbours. 0 lets the index choose ({@link #DEFAULT_CANDIDATES}).
 *     Ignored by exact scans.
 */
public record VectorQuery(String descriptor, Metric metric, float[] vector, int k, boolean exact, ImageFilter filter,
    String excludeId, int candidates) {

  /**
   * Candidates a graph search gathers when the query does not say: enough for recall@10 of 0.95 and more
   * on a million clustered 512-d vectors (BENCHMARKS.md, kNN at scale), and at least twice {@code k}.
   */
  public static final int DEFAULT_CANDIDATES = 100;

  public VectorQuery {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(vector, "vector");
    filter = filter == null ? ImageFilter.ALL : filter;
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
    if (candidates < 0) {
      throw new IllegalArgumentException("candidates must not be negative, was " + candidates);
    }
  }

  /** A query with the index's default search effort. */
  public VectorQuery(String descriptor, Metric metric, float[] vector, int k, boolean exact, ImageFilter filter,
      String excludeId) {
    this(descriptor, metric, vector, k, exact, filter, excludeId, 0);
  }

  /**
   * How many candidates a graph search gathers: {@link #candidates} when set, else
   * {@link #DEFAULT_CANDIDATES}; never fewer than {@code k}.
   */
  public int effectiveCandidates() {
    int wanted = candidates > 0 ? candidates : Math.max(DEFAULT_CANDIDATES, 2 * k);
    return Math.max(k, wanted);
  }
}
