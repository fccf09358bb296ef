package imgsearch.index;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.InvalidQueryException.Reason;
import java.util.Map;
import java.util.Objects;

/**
 * A nearest-neighbour query against one descriptor's vectors, checked against the descriptor's spec when
 * it is made: every backend gets a query whose metric the spec offers and whose vector has the spec's
 * dimension, and searches the spec's fields (see {@link VectorLayout}) without reading its catalogue again.
 * The rules of a query (descriptor known, metric allowed, dimension) are all here.
 *
 * @param spec the descriptor's spec, as the index's {@link ImageIndex#descriptors() catalogue} holds it
 * @param metric how to compare; must be one of the spec's metrics
 * @param vector the query vector, described with the descriptor of {@code spec}
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
public record VectorQuery(DescriptorSpec spec, Metric metric, float[] vector, int k, boolean exact,
    ImageFilter filter, String excludeId, int candidates) {

  /**
   * Candidates a graph search gathers when the query does not say: enough for recall@10 of 0.95 and more
   * on a million clustered 512-d vectors (BENCHMARKS.md, kNN at scale), and at least twice {@code k}.
   */
  public static final int DEFAULT_CANDIDATES = 100;

  /**
   * @throws InvalidQueryException ({@link Reason#UNAVAILABLE_METRIC}) when the spec does not offer the metric
   * @throws IllegalArgumentException when the vector does not have the spec's dimension (it was described
   *     with another descriptor: a bug of the caller, not a wrong request), or k or candidates are out of range
   */
  public VectorQuery {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(vector, "vector");
    filter = filter == null ? ImageFilter.ALL : filter;
    checkMetric(spec, metric);
    if (vector.length != spec.dimension()) {
      throw new IllegalArgumentException("query vector has " + vector.length + " dimensions, " + spec.title()
          + " has " + spec.dimension());
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
    if (candidates < 0) {
      throw new IllegalArgumentException("candidates must not be negative, was " + candidates);
    }
  }

  /** A query with the index's default search effort. */
  public VectorQuery(DescriptorSpec spec, Metric metric, float[] vector, int k, boolean exact, ImageFilter filter,
      String excludeId) {
    this(spec, metric, vector, k, exact, filter, excludeId, 0);
  }

  /** The descriptor's name. */
  public String descriptor() {
    return spec.name();
  }

  /**
   * How many candidates a graph search gathers: {@link #candidates} when set, else
   * {@link #DEFAULT_CANDIDATES}; never fewer than {@code k}.
   */
  public int effectiveCandidates() {
    int wanted = candidates > 0 ? candidates : Math.max(DEFAULT_CANDIDATES, 2 * k);
    return Math.max(k, wanted);
  }

  /**
   * The spec of descriptor {@code name} in a catalogue ({@link ImageIndex#descriptors()}, or the part of it
   * a caller can search with).
   *
   * @throws InvalidQueryException ({@link Reason#UNKNOWN_DESCRIPTOR}) naming the catalogue's descriptors
   */
  public static DescriptorSpec descriptorIn(Map<String, DescriptorSpec> catalogue, String name) {
    DescriptorSpec spec = catalogue.get(name);
    if (spec == null) {
      String shown = "'" + InvalidQueryException.abbreviate(name) + "'";
      throw new InvalidQueryException(Reason.UNKNOWN_DESCRIPTOR, "unknown descriptor " + shown + ": " + shown
          + " is not in this index, which " + (catalogue.isEmpty() ? "holds no descriptor yet"
              : "can search with " + catalogue.keySet()));
    }
    return spec;
  }

  /**
   * The metric a query of {@code spec} compares with: {@code wanted}, or when it is null {@code preferred}
   * (the descriptor's default) if the spec offers it, else the spec's first. The index's spec, not the
   * descriptor, says which metrics its vectors were stored for.
   *
   * @param preferred the metric to use when none is wanted, or null for the spec's first
   * @throws InvalidQueryException ({@link Reason#UNAVAILABLE_METRIC}) when the spec does not offer {@code wanted}
   */
  public static Metric metricFor(DescriptorSpec spec, Metric wanted, Metric preferred) {
    if (wanted == null) {
      return preferred != null && spec.metrics().contains(preferred) ? preferred : spec.metrics().get(0);
    }
    checkMetric(spec, wanted);
    return wanted;
  }

  private static void checkMetric(DescriptorSpec spec, Metric metric) {
    if (!spec.metrics().contains(metric)) {
      throw new InvalidQueryException(Reason.UNAVAILABLE_METRIC, "metric '" + metric.id()
          + "' is not available for descriptor '" + spec.name() + "'; use one of "
          + spec.metrics().stream().map(Metric::id).toList());
    }
  }
}
