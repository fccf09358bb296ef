package imgsearch.index.solr;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.file.Sha256;
import imgsearch.index.GraphVectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How one descriptor's vectors are laid out in Solr fields, mirroring the Lucene backend.
 *
 * <p>The raw vector is always stored, little-endian float32 bytes in a stored-only binary field
 * ({@link #raw}), or one unsigned byte per element for {@link VectorEncoding#UINT8} descriptors (raw pixels):
 * exact scores, reranking and {@code vector(id)} read it. Descriptors of at most
 * {@link #MAX_GRAPH_DIMENSIONS} dimensions also get a {@code DenseVectorField} with an HNSW graph
 * ({@link #graph}): under the similarity of their first graph-capable metric (L2: euclidean, cosine,
 * dot product), or, when they have none (a chi-squared/L1 histogram), under euclidean distance as a
 * source of candidates to rerank. Pearson correlation gets a second graph field holding mean-centred,
 * L2-normalised vectors under dot product ({@link #correlation}). Longer vectors, such as raw pixels
 * at 224 x 224, have no graph: building one costs more than scanning them.
 *
 * <p>Field names carry a hash of the spec, because a vector field's dimension and similarity are fixed
 * once created: a new descriptor version or configuration writes new fields.
 *
 * @param raw stored binary field with the raw vectors
 * @param graph DenseVectorField with the raw vectors (cosine: nudged off zero), or null
 * @param graphSimilarity Solr's similarity name for {@link #graph}: euclidean, cosine or dot_product
 * @param graphMetric the metric {@link #graph} answers directly, or null when it only yields candidates
 * @param correlation DenseVectorField for correlation, or null
 * @param dimension vector length
 * @param bytes whether {@link #raw} holds one unsigned byte per element rather than a float
 */
record SolrVectorFields(String raw, String graph, String graphSimilarity, Metric graphMetric, String correlation,
    int dimension, boolean bytes) {

  /** Longest vector that gets an HNSW graph, as in the Lucene backend. */
  static final int MAX_GRAPH_DIMENSIONS = 4096;

  static SolrVectorFields of(DescriptorSpec spec) {
    String id = spec.name().replaceAll("[^A-Za-z0-9]", "_") + "_" + shortHash(spec.key() + "/" + spec.dimension());
    boolean bytes = spec.encoding() == VectorEncoding.UINT8;
    if (spec.dimension() > MAX_GRAPH_DIMENSIONS) {
      return new SolrVectorFields("raw_" + id, null, null, null, null, spec.dimension(), bytes);
    }
    Metric graphMetric = null;
    String similarity = "euclidean";
    for (Metric m : spec.metrics()) {
      String s = similarityOf(m);
      if (s != null) {
        graphMetric = m;
        similarity = s;
        break;
      }
    }
    boolean correlation = spec.metrics().contains(Metric.CORRELATION);
    return new SolrVectorFields("raw_" + id, "vec_" + id, similarity, graphMetric,
        correlation ? "vec_" + id + "_corr" : null, spec.dimension(), bytes);
  }

  /** Whether an HNSW search answers {@code metric} directly. */
  boolean hasGraphFor(Metric metric) {
    return (graph != null && metric == graphMetric) || (metric == Metric.CORRELATION && correlation != null);
  }

  /** The field whose graph answers {@code metric}. */
  String graphField(Metric metric) {
    return metric == Metric.CORRELATION && correlation != null ? correlation : graph;
  }

  /** The graph that yields candidates for metrics no graph answers, or null when there is none. */
  String candidateField() {
    return graph != null ? graph : correlation;
  }

  /** What graph field {@code field} holds for a raw vector, and is queried with. */
  float[] fieldVector(String field, float[] raw) {
    if (field.equals(correlation)) {
      return GraphVectors.centredUnit(raw);
    }
    return "cosine".equals(graphSimilarity) ? GraphVectors.nonZero(raw) : raw;
  }

  /** Name of the DenseVectorField type for a dimension and similarity, e.g. {@code knn_512_cosine}. */
  static String typeName(int dimension, String similarity) {
    return "knn_" + dimension + "_" + similarity;
  }

  private static String similarityOf(Metric m) {
    return switch (m) {
      case L2 -> "euclidean";
      case COSINE -> "cosine";
      case DOT -> "dot_product";
      default -> null;
    };
  }

  /** Bytes a stored raw vector takes per element. */
  int bytesPerElement() {
    return bytes ? 1 : Float.BYTES;
  }

  /** The raw field's value for a vector. */
  byte[] encode(float[] v) {
    return bytes ? VectorEncoding.toUnsignedBytes(v) : toBytes(v);
  }

  /** A vector back from the raw field's value. */
  float[] decode(byte[] stored) {
    return bytes ? VectorEncoding.fromUnsignedBytes(stored) : fromBytes(stored);
  }

  /** Scores raw field values against a query, without turning stored bytes into floats. */
  java.util.function.ToDoubleFunction<byte[]> scorer(Metric metric, float[] query) {
    if (bytes) {
      Metric.ByteScorer scorer = metric.byteScorer(query);
      return stored -> scorer.score(java.lang.foreign.MemorySegment.ofArray(stored));
    }
    Metric.Scorer scorer = metric.scorer(query);
    return stored -> scorer.score(fromBytes(stored));
  }

  static byte[] toBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  static float[] fromBytes(byte[] bytes) {
    float[] v = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private static String shortHash(String s) {
    return Sha256.shortHex(s, 4);
  }
}
