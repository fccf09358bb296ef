package imgsearch.index.lucene;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.index.VectorLayout;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The Lucene fields of one descriptor's {@link VectorLayout}.
 *
 * <p>The raw vector goes in {@link #raw}: exact scans and re-scoring read it. It carries the layout's
 * HNSW graph when there is one; otherwise it is stored flat (named {@code flat.*}, see
 * {@link ImgsearchCodec}). The correlation graph is a second field. {@link VectorEncoding#UINT8} vectors
 * without a graph (raw pixels) are stored as bytes, a quarter of the floats' size, and scanned in place.
 *
 * @param layout what is stored and which graphs answer which metric
 * @param raw field with the raw vectors
 * @param correlation field for correlation via HNSW, or null
 * @param bytes whether {@link #raw} holds unsigned bytes (a {@code KnnByteVectorField}) rather than floats
 */
record VectorFields(VectorLayout layout, String raw, String correlation, boolean bytes) {

  static VectorFields of(DescriptorSpec spec) {
    VectorLayout layout = VectorLayout.of(spec);
    String id = spec.name() + "." + layout.fieldId();
    String raw = (layout.hasGraph() ? "vec." : ImgsearchCodec.FLAT_PREFIX) + id;
    // Lucene's byte graphs read bytes as signed: only flat fields hold unsigned bytes.
    boolean bytes = spec.encoding() == VectorEncoding.UINT8 && !layout.hasGraph() && !layout.correlationGraph();
    return new VectorFields(layout, raw, layout.correlationGraph() ? "vec." + id + ".corr" : null, bytes);
  }

  /** Whether the raw field has an HNSW graph. */
  boolean graph() {
    return layout.hasGraph();
  }

  /** Similarity of the raw field (its graph's, when it has one). */
  VectorSimilarityFunction rawSimilarity() {
    return similarity(layout.similarity());
  }

  /** The field whose graph answers {@code metric}. */
  String graphField(Metric metric) {
    return metric == Metric.CORRELATION && correlation != null ? correlation : raw;
  }

  static VectorSimilarityFunction similarity(VectorLayout.Similarity s) {
    return switch (s) {
      case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
      case COSINE -> VectorSimilarityFunction.COSINE;
      case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
    };
  }
}
