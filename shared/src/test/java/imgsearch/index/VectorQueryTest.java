package imgsearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.InvalidQueryException.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of a vector query, checked in one place for every backend and caller. */
class VectorQueryTest {

  private static final DescriptorSpec HIST = new DescriptorSpec("hsv-hist", 2, "", 4,
      List.of(Metric.CHI_SQUARED, Metric.L1));

  @Test
  void aDescriptorNotInTheCatalogueIsRefusedNamingTheOthers() {
    assertEquals(HIST, VectorQuery.descriptorIn(Map.of("hsv-hist", HIST), "hsv-hist"));
    InvalidQueryException e = assertThrows(InvalidQueryException.class,
        () -> VectorQuery.descriptorIn(Map.of("hsv-hist", HIST), "sift"));
    assertEquals(Reason.UNKNOWN_DESCRIPTOR, e.reason());
    assertTrue(e.getMessage().startsWith("unknown descriptor 'sift'"), e.getMessage());
    assertTrue(e.getMessage().contains("'sift' is not in this index"), e.getMessage());
    assertTrue(e.getMessage().contains("[hsv-hist]"), e.getMessage());
    String huge = "x".repeat(10_000);
    assertTrue(assertThrows(InvalidQueryException.class, () -> VectorQuery.descriptorIn(Map.of(), huge))
        .getMessage().length() < 200, "a name from a request is shortened");
  }

  @Test
  void theMetricIsOneTheSpecOffersAndDefaultsToThePreferredOrTheFirst() {
    assertEquals(Metric.CHI_SQUARED, VectorQuery.metricFor(HIST, null, null));
    assertEquals(Metric.L1, VectorQuery.metricFor(HIST, null, Metric.L1));
    assertEquals(Metric.CHI_SQUARED, VectorQuery.metricFor(HIST, null, Metric.COSINE), "preferred but not stored");
    assertEquals(Metric.L1, VectorQuery.metricFor(HIST, Metric.L1, null));
    InvalidQueryException e = assertThrows(InvalidQueryException.class,
        () -> VectorQuery.metricFor(HIST, Metric.COSINE, null));
    assertEquals(Reason.UNAVAILABLE_METRIC, e.reason());
    assertEquals("metric 'cosine' is not available for descriptor 'hsv-hist'; use one of [chi2, l1]", e.getMessage());
  }

  @Test
  void aQueryIsCheckedAgainstItsSpecWhenMade() {
    VectorQuery q = new VectorQuery(HIST, Metric.L1, new float[4], 3, false, null, "x");
    assertEquals("hsv-hist", q.descriptor());
    assertEquals(ImageFilter.ALL, q.filter());
    InvalidQueryException metric = assertThrows(InvalidQueryException.class,
        () -> new VectorQuery(HIST, Metric.L2, new float[4], 3, false, null, null));
    assertEquals(Reason.UNAVAILABLE_METRIC, metric.reason());
    // A vector of another length was described with another descriptor: the caller's bug, not a user error.
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> new VectorQuery(HIST, Metric.L1, new float[5], 3, false, null, null));
    assertFalse(dimension instanceof InvalidQueryException);
    assertTrue(dimension.getMessage().contains("5 dimensions"), dimension.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VectorQuery(HIST, Metric.L1, new float[4], 0, false, null, null));
  }

  @Test
  void graphSearchesGatherAtLeastTheDefaultCandidatesAndNeverFewerThanK() {
    assertEquals(VectorQuery.DEFAULT_CANDIDATES, new VectorQuery(HIST, Metric.L1, new float[4], 10, false, null, null)
        .effectiveCandidates());
    assertEquals(400, new VectorQuery(HIST, Metric.L1, new float[4], 200, false, null, null).effectiveCandidates());
    assertEquals(50, new VectorQuery(HIST, Metric.L1, new float[4], 50, false, null, null, 20).effectiveCandidates());
  }
}
