package imgsearch.index.solr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class SolrVectorFieldsTest {

  private static DescriptorSpec spec(String name, int dimension, Metric... metrics) {
    return new DescriptorSpec(name, 1, "", dimension, List.of(metrics));
  }

  @Test
  void graphUsesTheFirstGraphCapableMetricAndCorrelationGetsItsOwnField() {
    SolrVectorFields f = SolrVectorFields.of(spec("edge-colour", 512, Metric.COSINE, Metric.L2, Metric.L1));
    assertTrue(f.raw().startsWith("raw_edge_colour_"));
    assertEquals("cosine", f.graphSimilarity());
    assertTrue(f.hasGraphFor(Metric.COSINE));
    assertFalse(f.hasGraphFor(Metric.L2), "one graph per descriptor, as in the Lucene backend");
    assertNull(f.correlation());

    SolrVectorFields p = SolrVectorFields.of(spec("pixels", 768, Metric.CORRELATION, Metric.COSINE, Metric.L1));
    assertTrue(p.hasGraphFor(Metric.CORRELATION));
    assertTrue(p.hasGraphFor(Metric.COSINE));
    assertEquals(p.correlation(), p.graphField(Metric.CORRELATION));
  }

  @Test
  void histogramsWithoutAGraphMetricGetAnEuclideanGraphForCandidates() {
    SolrVectorFields f = SolrVectorFields.of(spec("hsv-hist", 1440, Metric.CHI_SQUARED, Metric.L1));
    assertEquals("euclidean", f.graphSimilarity());
    assertNull(f.graphMetric());
    assertFalse(f.hasGraphFor(Metric.CHI_SQUARED));
    assertEquals(f.graph(), f.candidateField());
  }

  @Test
  void longVectorsHaveNoGraph() {
    SolrVectorFields f = SolrVectorFields.of(spec("pixels", 150_528, Metric.CORRELATION, Metric.L2));
    assertNull(f.graph());
    assertNull(f.correlation());
    assertNull(f.candidateField());
    assertFalse(f.hasGraphFor(Metric.L2));
  }

  @Test
  void fieldNamesChangeWithTheSpec() {
    DescriptorSpec v1 = spec("hist", 8, Metric.L2);
    DescriptorSpec v2 = new DescriptorSpec("hist", 2, "", 8, List.of(Metric.L2));
    assertNotEquals(SolrVectorFields.of(v1).raw(), SolrVectorFields.of(v2).raw());
    assertEquals(SolrVectorFields.of(v1), SolrVectorFields.of(spec("hist", 8, Metric.L2)));
  }

  @Test
  void vectorsRoundTripThroughBytesAndCorrelationVectorsAreCentredUnitVectors() {
    float[] v = {1.5f, -2f, 0f, Float.MIN_VALUE, 1e30f};
    assertArrayEquals(v, SolrVectorFields.fromBytes(SolrVectorFields.toBytes(v)));
    float[] c = imgsearch.index.GraphVectors.centredUnit(new float[] {1, 2, 3, 4});
    double sum = 0;
    double norm = 0;
    for (float x : c) {
      sum += x;
      norm += x * x;
    }
    assertEquals(0, sum, 1e-6);
    assertEquals(1, norm, 1e-6);
    float[] zero = new float[3];
    SolrVectorFields cosine = SolrVectorFields.of(spec("e", 3, Metric.COSINE));
    assertNotEquals(0f, cosine.fieldVector(cosine.graph(), zero)[0], "Lucene refuses all-zero cosine vectors");
  }

  @Test
  void theConfigsetZipHoldsTheShippedFiles() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(SolrSchema.configSetZip()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        names.add(e.getName());
        assertTrue(new String(zip.readAllBytes()).contains("<"), e.getName());
      }
    }
    assertEquals(SolrSchema.CONFIGSET_FILES, names);
  }
}
