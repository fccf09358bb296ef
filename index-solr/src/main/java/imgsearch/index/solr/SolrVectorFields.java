package imgsearch.index.solr;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.index.VectorLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Solr fields of one descriptor's {@link VectorLayout}.
 *
 * <p>The raw vector is always stored, little-endian float32 bytes in a stored-only binary field
 * ({@link #raw}), or one unsigned byte per element for {@link VectorEncoding#UINT8} descriptors (raw pixels):
 * exact scores, reranking and {@code vector(id)} read it. Descriptors short enough for a graph
 * ({@link VectorLayout#graphable()}) also get a {@code DenseVectorField} with an HNSW graph ({@link #graph})
 * under the layout's similarity: the one of their graph metric or, when they have none (a chi-squared/L1
 * histogram), euclidean distance as a source of candidates to rerank. The correlation graph is a second
 * {@code DenseVectorField} ({@link #correlation}).
 *
 * @param layout what is stored and which graphs answer which metric
 * @param raw stored binary field with the raw vectors
 * @param graph DenseVectorField with the raw vectors (cosine: nudged off zero), or null
 * @param correlation DenseVectorField for correlation, or null
 * @param bytes whether {@link #raw} holds one unsigned byte per element rather than a float
 */
record SolrVectorFields(VectorLayout layout, String raw, String graph, String correlation, boolean bytes) {

  static SolrVectorFields of(DescriptorSpec spec) {
    VectorLayout layout = VectorLayout.of(spec);
    String id = spec.name().replaceAll("[^A-Za-z0-9]", "_") + "_" + layout.fieldId();
    return new SolrVectorFields(layout, "raw_" + id, layout.graphable() ? "vec_" + id : null,
        layout.correlationGraph() ? "vec_" + id + "_corr" : null, spec.encoding() == VectorEncoding.UINT8);
  }

  /** Solr's similarity name for {@link #graph}: euclidean, cosine or dot_product; null without a graph. */
  String graphSimilarity() {
    return graph == null ? null : similarityName(layout.similarity());
  }

  /** The metric {@link #graph} answers directly, or null when it only yields candidates. */
  Metric graphMetric() {
    return layout.graphMetric();
  }

  /** Vector length. */
  int dimension() {
    return layout.spec().dimension();
  }

  /** Whether an HNSW search answers {@code metric} directly. */
  boolean hasGraphFor(Metric metric) {
    return layout.hasGraphFor(metric);
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
    return field.equals(correlation) ? layout.correlationVector(raw) : layout.graphVector(raw);
  }

  /** Name of the DenseVectorField type for a dimension and similarity, e.g. {@code knn_512_cosine}. */
  static String typeName(int dimension, String similarity) {
    return "knn_" + dimension + "_" + similarity;
  }

  /** Solr's name of a similarity ({@code similarityFunction} of a DenseVectorField). */
  static String similarityName(VectorLayout.Similarity s) {
    return switch (s) {
      case EUCLIDEAN -> "euclidean";
      case COSINE -> "cosine";
      case DOT_PRODUCT -> "dot_product";
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
}
