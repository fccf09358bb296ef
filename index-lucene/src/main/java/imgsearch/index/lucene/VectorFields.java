package imgsearch.index.lucene;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.file.Sha256;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How one descriptor's vectors are laid out in Lucene fields.
 *
 * <p>The raw vector always goes in {@link #raw}: exact scans and re-scoring read it. It carries an HNSW
 * graph when the descriptor has a graph-capable metric and is short enough for a graph to pay off;
 * otherwise it is stored flat. Pearson correlation gets a second field holding the mean-centred,
 * L2-normalised vector under dot-product similarity, which ranks exactly as correlation does.
 * {@link VectorEncoding#UINT8} vectors without a graph (raw pixels) are stored as bytes, a quarter of the
 * floats' size, and scanned in place.
 *
 * <p>Field names include a hash of the descriptor's spec, because Lucene fixes a field's dimension and
 * similarity forever: a new version or configuration simply writes new fields.
 *
 * @param raw field with the raw vectors
 * @param rawSimilarity similarity of the raw field's graph
 * @param graph whether the raw field has an HNSW graph
 * @param graphMetric the metric the raw field's graph answers, or null
 * @param correlation field for correlation via HNSW, or null
 * @param bytes whether {@link #raw} holds unsigned bytes (a {@code KnnByteVectorField}) rather than floats
 */
record VectorFields(String raw, VectorSimilarityFunction rawSimilarity, boolean graph, Metric graphMetric,
    String correlation, boolean bytes) {

  /** Longest vector that gets an HNSW graph. */
  static final int MAX_GRAPH_DIMENSIONS = WideHnswVectorsFormat.MAX_DIMENSIONS;

  /** Layouts computed so far: a search asks for its descriptor's layout every time, and hashing is not free. */
  private static final java.util.Map<DescriptorSpec, VectorFields> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  static VectorFields of(DescriptorSpec spec) {
    return CACHE.computeIfAbsent(spec, VectorFields::layout);
  }

  private static VectorFields layout(DescriptorSpec spec) {
    String id = spec.name() + "." + shortHash(spec.key() + "/" + spec.dimension());
    boolean shortEnough = spec.dimension() <= MAX_GRAPH_DIMENSIONS;
    Metric graphMetric = null;
    VectorSimilarityFunction similarity = VectorSimilarityFunction.EUCLIDEAN;
    if (shortEnough) {
      for (Metric m : spec.metrics()) {
        VectorSimilarityFunction f = similarityOf(m);
        if (f != null) {
          graphMetric = m;
          similarity = f;
          break;
        }
      }
    }
    boolean correlation = shortEnough && spec.metrics().contains(Metric.CORRELATION);
    String raw = (graphMetric != null ? "vec." : ImgsearchCodec.FLAT_PREFIX) + id;
    // Lucene's byte graphs read bytes as signed: only flat fields hold unsigned bytes.
    boolean bytes = spec.encoding() == VectorEncoding.UINT8 && graphMetric == null && !correlation;
    return new VectorFields(raw, similarity, graphMetric != null, graphMetric,
        correlation ? "vec." + id + ".corr" : null, bytes);
  }

  /** Whether an HNSW search can answer {@code metric} for this descriptor. */
  boolean hasGraphFor(Metric metric) {
    return (graph && metric == graphMetric) || (metric == Metric.CORRELATION && correlation != null);
  }

  /** The field whose graph answers {@code metric}. */
  String graphField(Metric metric) {
    return metric == Metric.CORRELATION && correlation != null ? correlation : raw;
  }

  private static VectorSimilarityFunction similarityOf(Metric m) {
    return switch (m) {
      case L2 -> VectorSimilarityFunction.EUCLIDEAN;
      case COSINE -> VectorSimilarityFunction.COSINE;
      case DOT -> VectorSimilarityFunction.DOT_PRODUCT;
      default -> null;
    };
  }

  private static String shortHash(String s) {
    return Sha256.shortHex(s, 4);
  }
}
