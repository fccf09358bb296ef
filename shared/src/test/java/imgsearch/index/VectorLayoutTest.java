package imgsearch.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.file.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one layout both backends map to their fields. */
class VectorLayoutTest {

  private static DescriptorSpec spec(String name, int dimension, Metric... metrics) {
    return new DescriptorSpec(name, 1, "", dimension, List.of(metrics));
  }

  @Test
  void theFirstGraphCapableMetricGetsTheGraphAndCorrelationItsOwn() {
    VectorLayout edges = VectorLayout.of(spec("edge-colour", 512, Metric.COSINE, Metric.L2, Metric.L1));
    assertEquals(Metric.COSINE, edges.graphMetric());
    assertEquals(VectorLayout.Similarity.COSINE, edges.similarity());
    assertTrue(edges.hasGraphFor(Metric.COSINE));
    assertFalse(edges.hasGraphFor(Metric.L2), "one graph per descriptor");
    assertFalse(edges.correlationGraph());
    assertEquals(List.of(Metric.COSINE), edges.graphMetrics());

    VectorLayout pixels = VectorLayout.of(spec("pixels", 768, Metric.CORRELATION, Metric.COSINE, Metric.L1));
    assertEquals(Metric.COSINE, pixels.graphMetric());
    assertTrue(pixels.correlationGraph());
    assertEquals(List.of(Metric.CORRELATION, Metric.COSINE), pixels.graphMetrics());
  }

  @Test
  void histogramsHaveNoGraphMetricAndAnEuclideanSimilarity() {
    VectorLayout hist = VectorLayout.of(spec("hsv-hist", 1440, Metric.CHI_SQUARED, Metric.L1));
    assertNull(hist.graphMetric());
    assertFalse(hist.hasGraph());
    assertTrue(hist.graphable(), "a backend may still build a graph of candidates");
    assertEquals(VectorLayout.Similarity.EUCLIDEAN, hist.similarity());
    assertEquals(List.of(), hist.graphMetrics());
  }

  @Test
  void theDimensionLimitIsInclusive() {
    VectorLayout longest = VectorLayout.of(spec("a", VectorLayout.MAX_GRAPH_DIMENSIONS, Metric.L2, Metric.CORRELATION));
    assertTrue(longest.hasGraph());
    assertTrue(longest.correlationGraph());
    VectorLayout tooLong = VectorLayout.of(spec("a", VectorLayout.MAX_GRAPH_DIMENSIONS + 1, Metric.L2,
        Metric.CORRELATION));
    assertFalse(tooLong.graphable());
    assertFalse(tooLong.hasGraph());
    assertFalse(tooLong.correlationGraph());
    assertFalse(tooLong.hasGraphFor(Metric.CORRELATION));
  }

  @Test
  void fieldIdsChangeWithVersionConfigAndDimension() {
    String id = VectorLayout.of(spec("hist", 8, Metric.L2)).fieldId();
    assertEquals(id, VectorLayout.of(spec("hist", 8, Metric.L2)).fieldId());
    assertNotEquals(id, VectorLayout.of(new DescriptorSpec("hist", 2, "", 8, List.of(Metric.L2))).fieldId());
    assertNotEquals(id, VectorLayout.of(new DescriptorSpec("hist", 1, "bins=4", 8, List.of(Metric.L2))).fieldId());
    assertNotEquals(id, VectorLayout.of(spec("hist", 9, Metric.L2)).fieldId());
    // Field names of indexes on disk are built from it: the formula must never change.
    assertEquals(Sha256.shortHex("hist:1:/8", 4), id);
  }

  @Test
  void graphVectorsAreWhatTheGraphsCanHold() {
    float[] zero = new float[3];
    VectorLayout cosine = VectorLayout.of(spec("e", 3, Metric.COSINE));
    assertNotEquals(0f, cosine.graphVector(zero)[0], "cosine graphs refuse all-zero vectors");
    float[] v = {1, 2, 3};
    assertArrayEquals(v, VectorLayout.of(spec("e", 3, Metric.L2)).graphVector(v));
    VectorLayout correlation = VectorLayout.of(spec("p", 3, Metric.CORRELATION, Metric.L2));
    assertArrayEquals(GraphVectors.centredUnit(v), correlation.queryVector(Metric.CORRELATION, v));
    assertArrayEquals(v, correlation.queryVector(Metric.L2, v));
  }
}
