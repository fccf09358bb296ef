package imgsearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.HsvHistogramDescriptor;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.PixelsDescriptor;
import imgsearch.index.ImageIndex;
import imgsearch.search.InvalidQueryException.Reason;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A query is checked and resolved against one read of the index's descriptors. */
class SearchableDescriptorsTest {

  private static final DescriptorRegistry REGISTRY = ClassicDescriptors.registry();
  private static final DescriptorSpec PIXELS = REGISTRY.create(PixelsDescriptor.NAME).spec();
  private static final DescriptorSpec HIST = REGISTRY.create(HsvHistogramDescriptor.NAME).spec();
  private static final DescriptorSpec EDGES = REGISTRY.create(EdgeColourDescriptor.NAME).spec();
  /** A spec no descriptor here computes: vectors of another version. */
  private static final DescriptorSpec OLD_EDGES = new DescriptorSpec(EDGES.name(), EDGES.version() - 1,
      EDGES.config(), EDGES.dimension(), EDGES.metrics());

  private static Map<String, DescriptorSpec> indexed(DescriptorSpec... specs) {
    Map<String, DescriptorSpec> out = new LinkedHashMap<>();
    for (DescriptorSpec s : specs) {
      out.put(s.name(), s);
    }
    return out;
  }

  @Test
  void theBestDescriptorAndItsDefaultMetricAreChosenWhenNoneIsNamed() {
    SearchableDescriptors c = SearchableDescriptors.of(indexed(PIXELS, HIST, EDGES), REGISTRY);
    assertEquals(List.of(EDGES, HIST, PIXELS), c.specs(), "preference order");
    ResolvedQuery q = c.resolve(SearchOptions.defaults(), false);
    assertEquals(EDGES, q.spec());
    assertEquals(EDGES.metrics().get(0), q.metric());
    assertTrue(q.spec().compatibleWith(q.descriptor().spec()));

    ResolvedQuery named = c.resolve(SearchOptions.defaults().with(PixelsDescriptor.NAME, Metric.L1), false);
    assertEquals(PIXELS, named.spec());
    assertEquals(Metric.L1, named.metric());
  }

  @Test
  void queryImagesAreDecodedAsTheIndexedPhotosWere() {
    SearchableDescriptors c = SearchableDescriptors.of(indexed(PIXELS, HIST, EDGES), REGISTRY);
    int largest = List.of(PixelsDescriptor.NAME, HsvHistogramDescriptor.NAME, EdgeColourDescriptor.NAME).stream()
        .mapToInt(n -> REGISTRY.create(n).inputSide()).max().orElseThrow();
    assertEquals(largest, c.inputSide());
  }

  @Test
  void eachWrongRequestIsRefusedWithItsReason() {
    SearchableDescriptors c = SearchableDescriptors.of(indexed(HIST, OLD_EDGES), REGISTRY);
    assertEquals(List.of(HIST), c.specs());
    InvalidQueryException unknown = assertThrows(InvalidQueryException.class,
        () -> c.resolve(SearchOptions.defaults().with("sift", null), false));
    assertEquals(Reason.UNKNOWN_DESCRIPTOR, unknown.reason());
    assertTrue(unknown.getMessage().contains("[" + HsvHistogramDescriptor.NAME + "]"), unknown.getMessage());

    InvalidQueryException stale = assertThrows(InvalidQueryException.class,
        () -> c.resolve(SearchOptions.defaults().with(EdgeColourDescriptor.NAME, null), false));
    assertEquals(Reason.STALE_DESCRIPTOR, stale.reason());
    assertTrue(stale.getMessage().contains("re-run 'imgsearch index'"), stale.getMessage());

    InvalidQueryException metric = assertThrows(InvalidQueryException.class,
        () -> c.resolve(SearchOptions.defaults().with(HsvHistogramDescriptor.NAME, Metric.DOT), false));
    assertEquals(Reason.UNAVAILABLE_METRIC, metric.reason());

    InvalidQueryException words = assertThrows(InvalidQueryException.class,
        () -> c.resolve(SearchOptions.defaults(), true));
    assertEquals(Reason.TEXT_NOT_SUPPORTED, words.reason());
    assertFalse(c.supportsText());

    SearchableDescriptors empty = SearchableDescriptors.of(Map.of(), REGISTRY);
    assertTrue(empty.isEmpty());
    assertEquals(Reason.EMPTY_INDEX,
        assertThrows(InvalidQueryException.class, () -> empty.resolve(SearchOptions.defaults(), false)).reason());
  }

  @Test
  void kAndMetricAsTypedAreCheckedWithTheirReasons() {
    assertEquals(10, SearchOptions.parseK(null, 10));
    assertEquals(7, SearchOptions.parseK(" 7 ", 10));
    assertEquals(Reason.BAD_K, assertThrows(InvalidQueryException.class, () -> SearchOptions.parseK("ten", 10)).reason());
    InvalidQueryException range = assertThrows(InvalidQueryException.class, () -> SearchOptions.parseK("1001", 10));
    assertEquals("k must be between 1 and 1000, was 1001", range.getMessage());
    assertEquals(Metric.CHI_SQUARED, SearchOptions.parseMetric("CHI2"));
    InvalidQueryException metric = assertThrows(InvalidQueryException.class, () -> SearchOptions.parseMetric("nope"));
    assertEquals(Reason.UNKNOWN_METRIC, metric.reason());
    assertTrue(metric.getMessage().startsWith("unknown metric 'nope'"), metric.getMessage());
  }

  @Test
  void theSearcherReadsTheIndexOncePerCatalogueAndRebuildsOnlyOnChange() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<Map<String, DescriptorSpec>> specs = new AtomicReference<>(indexed(HIST));
    ImageIndex index = (ImageIndex) Proxy.newProxyInstance(ImageIndex.class.getClassLoader(),
        new Class<?>[] {ImageIndex.class}, (proxy, method, args) -> {
          if (method.getName().equals("descriptors")) {
            reads.incrementAndGet();
            return specs.get();
          }
          throw new UnsupportedOperationException(method.getName());
        });
    ImageSearcher searcher = new ImageSearcher(index, REGISTRY);
    SearchableDescriptors first = searcher.catalogue();
    assertEquals(1, reads.get());
    assertSame(first, searcher.catalogue(), "unchanged: the same descriptors, nothing built again");
    assertEquals(2, reads.get());
    specs.set(indexed(HIST, EDGES)); // an indexing run added one
    SearchableDescriptors second = searcher.catalogue();
    assertEquals(List.of(EDGES, HIST), second.specs());
    assertEquals(3, reads.get());
  }
}
