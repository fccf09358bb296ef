package imgsearch.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.PerceptualHashDescriptor;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexListener;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.DuplicateCollection;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuplicateFinderTest {

  @TempDir static Path tmp;
  static Path photos;
  static LuceneImageIndex index;

  @BeforeAll
  static void indexTheCollection() throws IOException {
    photos = DuplicateCollection.write(tmp.resolve("photos"));
    index = LuceneImageIndex.open(tmp.resolve("index"));
    new Indexer(index, new ImageDecoder(), List.of(new EdgeColourDescriptor(), new PerceptualHashDescriptor()), 2)
        .index(photos, IndexListener.NONE);
  }

  @AfterAll
  static void close() throws IOException {
    index.close();
  }

  @Test
  void copiesExportsCropsAndEditsAreGroupedAndUnrelatedPhotosAreNot() throws IOException {
    DuplicateReport r = DuplicateFinder.find(index, DuplicateMeasure.EDGE_COLOUR,
        DuplicateMeasure.EDGE_COLOUR.defaultThreshold(), 2, NeighbourGraph.Progress.NONE);
    assertEquals(DuplicateCollection.files().size(), r.indexed());
    assertEquals(r.indexed(), r.compared());
    assertTrue(r.tuned());
    assertEquals(expected(DuplicateCollection.GROUPS), found(r));
    for (DuplicateGroup g : r.groups()) {
      for (DuplicateImage d : g.images().subList(1, g.images().size())) {
        assertTrue(d.score() >= 0.9, "scores are cosine similarities to the keeper: " + d.score());
        assertFalse(d.keep());
      }
    }
    assertEquals(6, r.redundantImages());
  }

  @Test
  void theKeeperIsTheLargestResolutionThenTheLargestFileThenTheOldest() throws IOException {
    DuplicateReport r = DuplicateFinder.find(index, DuplicateMeasure.EDGE_COLOUR,
        DuplicateMeasure.EDGE_COLOUR.defaultThreshold(), 1, NeighbourGraph.Progress.NONE);
    Map<String, KeeperRule.Reason> reasons = new HashMap<>();
    for (DuplicateGroup g : r.groups()) {
      assertTrue(g.keeper().keep());
      reasons.put(relative(g.keeper().image()), g.keepReason());
    }
    assertEquals(Map.of("holiday/beach.jpg", KeeperRule.Reason.OLDEST,
        "holiday/street.jpg", KeeperRule.Reason.LARGEST_FILE,
        "holiday/still.jpg", KeeperRule.Reason.LARGEST_RESOLUTION), reasons);
  }

  @Test
  void theHashMeasureAppliesTheCrawlersRule() throws IOException {
    DuplicateReport r = DuplicateFinder.find(index, DuplicateMeasure.PHASH, DuplicateMeasure.PHASH.defaultThreshold(),
        2, NeighbourGraph.Progress.NONE);
    assertEquals(6.0, r.threshold());
    assertEquals(expected(DuplicateCollection.HASH_GROUPS), found(r));
    for (DuplicateGroup g : r.groups()) {
      for (DuplicateImage d : g.images().subList(1, g.images().size())) {
        assertTrue(d.score() <= 6 && d.score() == Math.rint(d.score()), "scores are differing bits: " + d.score());
      }
    }
    assertTrue(DuplicateFinder.find(index, DuplicateMeasure.PHASH, 0, 2, NeighbourGraph.Progress.NONE).groups()
        .stream().allMatch(g -> g.images().size() == 2), "at 0 bits only the byte-for-byte copy is left");
  }

  @Test
  void groupsAtAStricterThresholdComeFromTheSameNeighbours() throws IOException {
    DuplicateMeasure m = DuplicateMeasure.EDGE_COLOUR;
    NeighbourGraph graph = NeighbourGraph.build(index, m, m.loosestThreshold(), 2, NeighbourGraph.Progress.NONE);
    for (double t : new double[] {m.defaultThreshold(), 0.99, 0.999}) {
      assertEquals(found(DuplicateFinder.find(index, m, t, 2, NeighbourGraph.Progress.NONE)),
          found(DuplicateFinder.group(graph, t)), "threshold " + t);
    }
    assertThrows(IllegalArgumentException.class, () -> DuplicateFinder.group(graph, m.loosestThreshold() - 0.05));
    assertThrows(IllegalArgumentException.class, () -> DuplicateFinder.group(graph, 1.5));
  }

  @Test
  void emptyAndOneImageIndexesHaveNoGroups() throws IOException {
    try (LuceneImageIndex empty = LuceneImageIndex.open(tmp.resolve("empty"))) {
      empty.registerDescriptor(new EdgeColourDescriptor().spec());
      empty.commit();
      DuplicateReport r = DuplicateFinder.find(empty, DuplicateMeasure.EDGE_COLOUR, 0.95, 2,
          NeighbourGraph.Progress.NONE);
      assertEquals(0, r.indexed());
      assertTrue(r.groups().isEmpty());
    }
    Path one = java.nio.file.Files.createDirectories(tmp.resolve("one"));
    TestImages.write(one, "photo.jpg", TestImages.jpeg(TestImages.photoLike(5, 120, 90), 0.9f));
    try (LuceneImageIndex single = LuceneImageIndex.open(tmp.resolve("single"))) {
      new Indexer(single, new ImageDecoder(), List.of(new EdgeColourDescriptor()), 1).index(one, IndexListener.NONE);
      DuplicateReport r = DuplicateFinder.find(single, DuplicateMeasure.EDGE_COLOUR, 0.95, 2,
          NeighbourGraph.Progress.NONE);
      assertEquals(1, r.compared());
      assertTrue(r.groups().isEmpty());
    }
  }

  @Test
  void aChainOfSmallStepsIsNotOneGroup() throws IOException {
    // Unit vectors 4 degrees apart: each is near the next at cos(5 deg), but the ends are 36 degrees apart.
    try (LuceneImageIndex chain = LuceneImageIndex.open(tmp.resolve("chain"))) {
      DescriptorSpec spec = new DescriptorSpec(EdgeColourDescriptor.NAME, 1, "", 2, List.of(Metric.COSINE));
      chain.registerDescriptor(spec);
      for (int i = 0; i < 10; i++) {
        double a = Math.toRadians(4 * i);
        chain.upsert(record("link-" + i, spec), Map.of(spec.name(), new float[] {(float) Math.cos(a), (float) Math.sin(a)}));
      }
      chain.commit();
      double threshold = Math.cos(Math.toRadians(5));
      DuplicateReport r = DuplicateFinder.find(chain, DuplicateMeasure.EDGE_COLOUR, threshold, 2,
          NeighbourGraph.Progress.NONE);
      assertTrue(r.groups().size() >= 3, "stars, not one chain: " + found(r));
      for (DuplicateGroup g : r.groups()) {
        assertTrue(g.images().size() <= 3, "a centre and its two neighbours at most: " + found(r));
      }
    }
  }

  @Test
  void groupsLargerThanTheFirstNeighbourSearchAreFoundWhole() throws IOException {
    try (LuceneImageIndex burst = LuceneImageIndex.open(tmp.resolve("burst"))) {
      DescriptorSpec spec = new DescriptorSpec(EdgeColourDescriptor.NAME, 1, "", 3, List.of(Metric.COSINE));
      burst.registerDescriptor(spec);
      int copies = NeighbourGraph.FIRST_K * 3;
      for (int i = 0; i < copies; i++) {
        burst.upsert(record("same-" + i, spec), Map.of(spec.name(), new float[] {0, 0, 1}));
        double a = 2 * Math.PI * i / copies; // neighbours 7.5 degrees apart: cosine 0.991
        burst.upsert(record("other-" + i, spec), Map.of(spec.name(), new float[] {(float) Math.cos(a), (float) Math.sin(a), 0}));
      }
      burst.commit();
      DuplicateReport r = DuplicateFinder.find(burst, DuplicateMeasure.EDGE_COLOUR, 0.999, 2,
          NeighbourGraph.Progress.NONE);
      assertEquals(1, r.groups().size(), found(r).toString());
      assertEquals(copies, r.groups().get(0).images().size());
      assertEquals(KeeperRule.Reason.FIRST_PATH, r.groups().get(0).keepReason());
    }
  }

  @Test
  void theBestDescriptorPresentIsChosenAndAMissingOneIsExplained() {
    DescriptorSpec edge = new EdgeColourDescriptor().spec();
    DescriptorSpec hash = new PerceptualHashDescriptor().spec();
    assertEquals(DuplicateMeasure.EDGE_COLOUR, DuplicateMeasure.choose(Map.of("edge-colour", edge, "phash", hash), null)
        .orElseThrow());
    assertEquals(DuplicateMeasure.PHASH, DuplicateMeasure.choose(Map.of("phash", hash), null).orElseThrow());
    assertEquals(DuplicateMeasure.PHASH, DuplicateMeasure.choose(Map.of("edge-colour", edge, "phash", hash), "phash")
        .orElseThrow());
    assertTrue(DuplicateMeasure.choose(Map.of(), null).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> DuplicateMeasure.choose(Map.of(), "pixels"));
    String message = DuplicateMeasure.missingMessage(null, "/idx");
    assertTrue(message.contains("imgsearch index DIR --index /idx --descriptors edge-colour"), message);
    assertThrows(IllegalArgumentException.class, () -> DuplicateMeasure.PHASH.checkThreshold(6.5));
    assertThrows(IllegalArgumentException.class, () -> DuplicateMeasure.EDGE_COLOUR.checkThreshold(0));
    DescriptorSpec newer = new DescriptorSpec(edge.name(), edge.version() + 1, "", edge.dimension(), edge.metrics());
    assertFalse(DuplicateMeasure.EDGE_COLOUR.tunedFor(newer));
  }

  private static ImageRecord record(String name, DescriptorSpec spec) {
    return new ImageRecord(name, "/virtual/" + name + ".jpg", "h-" + name, 1000, 100, 100, null, null, null,
        Set.of(spec.key()));
  }

  /** Each group as its keeper and the set of its members, relative to the collection. */
  private static Set<List<Object>> found(DuplicateReport r) {
    Set<List<Object>> out = new HashSet<>();
    for (DuplicateGroup g : r.groups()) {
      out.add(List.of(relative(g.keeper().image()),
          g.images().stream().map(d -> relative(d.image())).collect(Collectors.toSet())));
    }
    return out;
  }

  private static Set<List<Object>> expected(Map<String, List<String>> groups) {
    Set<List<Object>> out = new HashSet<>();
    for (List<String> g : groups.values()) {
      out.add(List.of(g.get(0), new HashSet<>(g)));
    }
    return out;
  }

  private static String relative(ImageRecord r) {
    Path p = Path.of(r.path());
    return p.startsWith(photos) ? photos.relativize(p).toString().replace('\\', '/') : p.getFileName().toString();
  }
}
