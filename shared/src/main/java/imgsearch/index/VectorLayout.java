package imgsearch.index;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.file.Sha256;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one descriptor's vectors are laid out for search, the same for every backend; a backend only maps
 * it to its own fields.
 *
 * <p>The raw vector is always stored: exact scans and the exact re-scoring of graph candidates read it.
 * A descriptor of at most {@link #MAX_GRAPH_DIMENSIONS} dimensions gets an HNSW graph under the
 * similarity of its first graph-capable metric ({@link #graphMetric}: L2, cosine or dot product); one
 * without such a metric (a chi-squared/L1 histogram) has {@link Similarity#EUCLIDEAN} as its declared
 * similarity, which a backend may use for a graph of candidates to re-rank. Pearson correlation gets a
 * second graph of mean-centred, L2-normalised vectors under dot product ({@link #correlationGraph}),
 * which ranks exactly as correlation does. Longer vectors, such as raw pixels at 224 x 224, have no
 * graph: building one costs more than scanning them.
 *
 * <p>Field names carry {@link #fieldId()}, a hash of the spec, because a vector field's dimension and
 * similarity are fixed once created: a new descriptor version or configuration writes new fields.
 *
 * @param spec the descriptor's spec
 * @param graphMetric the metric the descriptor's graph answers, or null when it has none
 * @param similarity the similarity of the graph over the raw vectors (of {@link #graphMetric}, else
 *     euclidean)
 * @param correlationGraph whether correlation has its own graph of centred unit vectors
 */
public record VectorLayout(DescriptorSpec spec, Metric graphMetric, Similarity similarity,
    boolean correlationGraph) {

  /**
   * Longest vector that gets an HNSW graph: the HSV histogram (1,440) and CLIP-size embeddings do, raw
   * pixels at 224 x 224 (150,528) do not.
   */
  public static final int MAX_GRAPH_DIMENSIONS = 4096;

  /** The similarities a graph can rank by (what Lucene and Solr HNSW graphs offer). */
  public enum Similarity {
    /** Euclidean distance (L2). */
    EUCLIDEAN,
    /** Cosine similarity; graphs refuse all-zero vectors (see {@link VectorLayout#graphVector}). */
    COSINE,
    /** Dot product of unit vectors. */
    DOT_PRODUCT;

    /** The similarity whose graph ranks exactly as {@code metric} does, or null when none does. */
    static Similarity of(Metric metric) {
      return switch (metric) {
        case L2 -> EUCLIDEAN;
        case COSINE -> COSINE;
        case DOT -> DOT_PRODUCT;
        default -> null;
      };
    }
  }

  /** Layouts computed so far: a search asks for its descriptor's layout every time, and hashing is not free. */
  private static final Map<DescriptorSpec, VectorLayout> CACHE = new ConcurrentHashMap<>();

  /** The layout of {@code spec}'s vectors. */
  public static VectorLayout of(DescriptorSpec spec) {
    return CACHE.computeIfAbsent(spec, VectorLayout::layout);
  }

  private static VectorLayout layout(DescriptorSpec spec) {
    if (spec.dimension() > MAX_GRAPH_DIMENSIONS) {
      return new VectorLayout(spec, null, Similarity.EUCLIDEAN, false);
    }
    for (Metric m : spec.metrics()) {
      Similarity s = Similarity.of(m);
      if (s != null) {
        return new VectorLayout(spec, m, s, spec.metrics().contains(Metric.CORRELATION));
      }
    }
    return new VectorLayout(spec, null, Similarity.EUCLIDEAN, spec.metrics().contains(Metric.CORRELATION));
  }

  /** Whether the vectors are short enough for a graph at all. */
  public boolean graphable() {
    return spec.dimension() <= MAX_GRAPH_DIMENSIONS;
  }

  /** Whether a metric of the spec is answered by a graph over the raw vectors. */
  public boolean hasGraph() {
    return graphMetric != null;
  }

  /** Whether an HNSW search answers {@code metric} for this descriptor. */
  public boolean hasGraphFor(Metric metric) {
    return (graphMetric != null && metric == graphMetric) || (metric == Metric.CORRELATION && correlationGraph);
  }

  /** The spec's metrics a graph answers, in the spec's order (the others are exact scans or re-rankings). */
  public List<Metric> graphMetrics() {
    return spec.metrics().stream().filter(this::hasGraphFor).toList();
  }

  /** Identifies the spec (name, version, config, dimension) in field names: a short hash. */
  public String fieldId() {
    return Sha256.shortHex(spec.key() + "/" + spec.dimension(), 4);
  }

  /** What the graph over the raw vectors holds for a raw vector (cosine: nudged off zero). */
  public float[] graphVector(float[] raw) {
    return similarity == Similarity.COSINE ? GraphVectors.nonZero(raw) : raw;
  }

  /** The similarity of the correlation graph: dot products of centred unit vectors are correlations. */
  public Similarity correlationSimilarity() {
    return Similarity.DOT_PRODUCT;
  }

  /** What the correlation graph holds for a raw vector: its mean-centred unit vector. */
  public float[] correlationVector(float[] raw) {
    return GraphVectors.centredUnit(raw);
  }

  /** The vector to search the graph that answers {@code metric} with, for a raw query vector. */
  public float[] queryVector(Metric metric, float[] raw) {
    return metric == Metric.CORRELATION && correlationGraph ? correlationVector(raw) : graphVector(raw);
  }
}
