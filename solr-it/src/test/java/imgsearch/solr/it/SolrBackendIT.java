package imgsearch.solr.it;

import static imgsearch.solr.it.TestCollections.ids;
import static imgsearch.solr.it.TestCollections.recall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.HsvHistogramDescriptor;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.PixelsDescriptor;
import imgsearch.eval.EvalReport;
import imgsearch.eval.Evaluator;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.IndexUnavailableException;
import imgsearch.index.Indexer;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.index.solr.SolrImageIndex;
import imgsearch.index.solr.SolrIndexLocation;
import imgsearch.search.ImageSearcher;
import imgsearch.search.SearchOptions;
import imgsearch.search.SearchResults;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Solr backend against a real 2-node SolrCloud in this JVM, compared with the embedded Lucene
 * backend on the same data: generated images indexed by the {@link Indexer} through both backends, and
 * a larger set of clustered vectors written through both.
 */
class SolrBackendIT {

  private static final int IMAGE_CLASSES = 6;
  private static final int TRAIN_PER_CLASS = 20;
  private static final int TEST_PER_CLASS = 5;
  private static final int IMAGES = IMAGE_CLASSES * (TRAIN_PER_CLASS + TEST_PER_CLASS);
  private static final int VECTORS = 2000;
  private static final int K = 10;
  /** The indexed clustered vectors, then 20 more from the same clusters to query with. */
  private static final List<float[]> CLUSTERED = TestCollections.clustered(7, VECTORS + 20, 48, 40);
  private static final List<float[]> CLUSTERED_QUERIES = CLUSTERED.subList(VECTORS, VECTORS + 20);

  @TempDir static Path tmp;
  static SolrCloudInJvm cloud;
  static List<Descriptor> descriptors;
  static SolrImageIndex solr;
  static LuceneImageIndex lucene;
  static IndexSummary solrSummary;
  static SolrImageIndex solrVectors;
  static LuceneImageIndex luceneVectors;
  /** The spec of the clustered vectors in both. */
  static DescriptorSpec hist;

  @BeforeAll
  static void startClusterAndIndex() throws Exception {
    cloud = SolrCloudInJvm.start(2);
    DescriptorRegistry registry = ClassicDescriptors.registry();
    // edge-colour: a dot-product graph; hsv-hist (1,440 bins, chi-squared/L1): no graph-capable metric;
    // pixels at 40 x 40 (4,800 values): too long for a graph, scanned.
    descriptors = List.of(registry.create(EdgeColourDescriptor.NAME), registry.create(HsvHistogramDescriptor.NAME),
        registry.create(PixelsDescriptor.NAME, "size=40"));
    Path images = TestCollections.images(tmp.resolve("images"), IMAGE_CLASSES, TRAIN_PER_CLASS, TEST_PER_CLASS);
    solr = SolrIndexLocation.open(cloud.indexUri("images") + "?shards=2&replicas=2");
    solrSummary = new Indexer(solr, new ImageDecoder(), descriptors, 2).index(images, IndexListener.NONE);
    lucene = LuceneImageIndex.open(tmp.resolve("lucene-images"));
    new Indexer(lucene, new ImageDecoder(), descriptors, 2).index(images, IndexListener.NONE);

    // Clustered vectors: a graph that is really searched (1,000 per shard), correlation, and reranking.
    solrVectors = SolrIndexLocation.open(cloud.indexUri("vectors") + "?shards=2&replicas=2");
    luceneVectors = LuceneImageIndex.open(tmp.resolve("lucene-vectors"));
    hist = TestCollections.spec("hist", 48, Metric.L2, Metric.L1, Metric.CHI_SQUARED,
        Metric.CORRELATION);
    Map<String, List<float[]>> vectors = Map.of("hist", CLUSTERED.subList(0, VECTORS));
    for (ImageIndex index : List.of(solrVectors, luceneVectors)) {
      index.registerDescriptor(hist);
      TestCollections.writeVectors(index, vectors, VECTORS);
      index.commit();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {solr, lucene, solrVectors, luceneVectors, cloud}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void createsTheCollectionWithTwoShardsReplicatedOnBothNodes() throws Exception {
    Map<String, List<String>> shards = cloud.activeReplicaNodes("images");
    assertEquals(2, shards.size(), "shards: " + shards);
    for (List<String> nodes : shards.values()) {
      assertEquals(2, new HashSet<>(nodes).size(), "each shard on both nodes: " + shards);
    }
    assertEquals(IMAGES, solrSummary.indexed());
    assertEquals(IMAGES, solr.count(ImageFilter.ALL));
    assertEquals(lucene.counts(), solr.counts());
    assertEquals(lucene.descriptors(), solr.descriptors());
  }

  @Test
  void storesRecordsAndVectorsLikeTheLuceneBackend() throws IOException {
    for (ImageRecord expected : lucene.list(ImageFilter.ALL, 0, IMAGES)) {
      assertEquals(expected, solr.get(expected.id()).orElseThrow(), expected.path());
    }
    ImageRecord some = lucene.list(new ImageFilter("test", "c3"), 0, 1).get(0);
    for (Descriptor d : descriptors) {
      float[] expected = lucene.vector(some.id(), d.name()).orElseThrow();
      float[] actual = solr.vector(some.id(), d.name()).orElseThrow();
      assertEquals(expected.length, actual.length);
      assertTrue(java.util.Arrays.equals(expected, actual), d.name());
    }
    assertTrue(solr.get("no-such-id").isEmpty());
    assertTrue(solr.vector(some.id(), "no-such-descriptor").isEmpty());
  }

  @Test
  void exactSearchesReturnTheSameResultsAsTheLuceneBackend() throws IOException {
    int compared = 0;
    for (ImageRecord query : queries()) {
      for (Descriptor d : descriptors) {
        float[] v = solr.vector(query.id(), d.name()).orElseThrow();
        for (Metric m : d.metrics()) {
          for (ImageFilter filter : List.of(ImageFilter.ALL, new ImageFilter("train", null))) {
            VectorQuery q = new VectorQuery(d.spec(), m, v, K, true, filter, query.id());
            assertSameHits(lucene.search(q), solr.search(q), d.name() + " " + m + " " + filter);
            compared++;
          }
        }
      }
    }
    assertEquals(queries().size() * 2 * descriptors.stream().mapToInt(d -> d.metrics().size()).sum(), compared);
  }

  @Test
  void metricsWithoutAGraphAreExactOnSmallCollectionsEvenWhenApproximateIsAsked() throws IOException {
    for (ImageRecord query : queries()) {
      for (Descriptor d : descriptors) {
        float[] v = solr.vector(query.id(), d.name()).orElseThrow();
        for (Metric m : List.of(Metric.L1, Metric.CHI_SQUARED)) {
          if (d.metrics().contains(m)) {
            VectorQuery approximate = new VectorQuery(d.spec(), m, v, K, false, ImageFilter.ALL, null);
            VectorQuery exact = new VectorQuery(d.spec(), m, v, K, true, ImageFilter.ALL, null);
            assertSameHits(lucene.search(exact), solr.search(approximate), d.name() + " " + m);
          }
        }
      }
    }
  }

  @Test
  void searcherAndEvaluationWorkUnchangedOnSolr() throws IOException {
    ImageRecord query = queries().get(2);
    SearchOptions options = SearchOptions.defaults().with(HsvHistogramDescriptor.NAME, null);
    SearchResults fromSolr = new ImageSearcher(solr, ClassicDescriptors.registry()).byId(query.id(), options);
    SearchResults fromLucene = new ImageSearcher(lucene, ClassicDescriptors.registry()).byId(query.id(), options);
    assertSameHits(fromLucene.hits(), fromSolr.hits(), "searcher by id");

    List<String> names = List.of(HsvHistogramDescriptor.NAME, EdgeColourDescriptor.NAME);
    EvalReport expected = new Evaluator(lucene).evaluate(names, List.of(), Evaluator.Progress.NONE);
    EvalReport actual = new Evaluator(solr).evaluate(names, List.of(), Evaluator.Progress.NONE);
    assertEquals(expected.queries(), actual.queries());
    assertEquals(expected.methods().size(), actual.methods().size());
    for (int i = 0; i < expected.methods().size(); i++) {
      assertEquals(expected.methods().get(i).overall(), actual.methods().get(i).overall(),
          expected.methods().get(i).descriptor() + " " + expected.methods().get(i).metric());
    }
  }

  @Test
  void knnSearchesFindWhatExactSearchesFind() throws IOException {
    Descriptor edges = descriptors.get(0);
    double recall = 0;
    int n = 0;
    for (ImageRecord query : queries()) {
      float[] v = solr.vector(query.id(), edges.name()).orElseThrow();
      VectorQuery exact = new VectorQuery(edges.spec(), edges.defaultMetric(), v, K, true, ImageFilter.ALL, query.id());
      VectorQuery knn = new VectorQuery(edges.spec(), edges.defaultMetric(), v, K, false, ImageFilter.ALL, query.id());
      List<SearchHit> truth = lucene.search(exact);
      recall += recall(truth, solr.search(knn));
      n++;
    }
    assertTrue(recall / n >= 0.95, "recall@10 " + recall / n);
  }

  @Test
  void knnOnClusteredVectorsReachesRecallAndExactMatchesLucene() throws IOException {
    List<float[]> queries = CLUSTERED_QUERIES;
    double solrRecallL2 = 0;
    double solrRecallCorrelation = 0;
    double luceneRecallL2 = 0;
    for (float[] v : queries) {
      for (Metric m : List.of(Metric.L2, Metric.L1, Metric.CHI_SQUARED, Metric.CORRELATION)) {
        VectorQuery exact = new VectorQuery(hist, m, v, K, true, ImageFilter.ALL, null);
        assertSameHits(luceneVectors.search(exact), solrVectors.search(exact), "hist " + m);
      }
      List<SearchHit> truthL2 = luceneVectors.search(new VectorQuery(hist, Metric.L2, v, K, true, ImageFilter.ALL, null));
      VectorQuery knnL2 = new VectorQuery(hist, Metric.L2, v, K, false, ImageFilter.ALL, null);
      solrRecallL2 += recall(truthL2, solrVectors.search(knnL2));
      luceneRecallL2 += recall(truthL2, luceneVectors.search(knnL2));
      List<SearchHit> truthCorrelation =
          luceneVectors.search(new VectorQuery(hist, Metric.CORRELATION, v, K, true, ImageFilter.ALL, null));
      solrRecallCorrelation += recall(truthCorrelation,
          solrVectors.search(new VectorQuery(hist, Metric.CORRELATION, v, K, false, ImageFilter.ALL, null)));
    }
    int n = queries.size();
    assertTrue(solrRecallL2 / n >= 0.95, "Solr L2 recall@10 " + solrRecallL2 / n);
    assertTrue(luceneRecallL2 / n >= 0.95, "Lucene L2 recall@10 " + luceneRecallL2 / n);
    assertTrue(solrRecallCorrelation / n >= 0.95, "Solr correlation recall@10 " + solrRecallCorrelation / n);
  }

  @Test
  void wholeCollectionRankingsAsTheEvaluationAsksMatchLucene() throws IOException {
    // The evaluation ranks every train image for each test image: k of 2,000 (brute force on the shards)
    // and of 6,000 (more than there are images: paged scan).
    ImageFilter train = new ImageFilter("train", null);
    float[] v = CLUSTERED.get(1);
    for (int k : new int[] {2000, 6000}) {
      for (Metric m : List.of(Metric.L2, Metric.CHI_SQUARED)) {
        VectorQuery q = new VectorQuery(hist, m, v, k, true, train, "v1");
        List<SearchHit> expected = luceneVectors.search(q);
        assertEquals(VECTORS / 2, expected.size());
        assertSameHits(expected, solrVectors.search(q), "k=" + k + " " + m);
      }
    }
  }

  @Test
  void exactOnlyMetricsRerankCandidatesOnLargeCollections() throws Exception {
    // 2,000 images and rerank=300: L1 and chi-squared rerank the 300 nearest under L2 (approximate);
    // asked for exact, they scan everything.
    try (SolrImageIndex reranking = SolrIndexLocation.open(cloud.indexUri("vectors") + "?rerank=300")) {
      double recall = 0;
      List<float[]> queries = CLUSTERED_QUERIES.subList(0, 10);
      for (float[] v : queries) {
        for (Metric m : List.of(Metric.L1, Metric.CHI_SQUARED)) {
          List<SearchHit> truth = luceneVectors.search(new VectorQuery(hist, m, v, K, true, ImageFilter.ALL, null));
          assertSameHits(truth, reranking.search(new VectorQuery(hist, m, v, K, true, ImageFilter.ALL, null)),
              "exact " + m);
          List<SearchHit> reranked = reranking.search(new VectorQuery(hist, m, v, K, false, ImageFilter.ALL, null));
          assertEquals(K, reranked.size());
          recall += recall(truth, reranked);
        }
      }
      assertTrue(recall / (2 * queries.size()) >= 0.9, "reranked recall@10 " + recall / (2 * queries.size()));
    }
  }

  @Test
  void filtersAndExclusionsApply() throws IOException {
    ImageFilter testC2 = new ImageFilter("test", "c2");
    assertEquals(lucene.count(testC2), solr.count(testC2));
    assertEquals(TEST_PER_CLASS, solr.count(testC2));
    assertEquals(lucene.count(new ImageFilter(null, "c4")), solr.count(new ImageFilter(null, "c4")));
    assertEquals(lucene.list(testC2, 0, 100), solr.list(testC2, 0, 100));
    assertEquals(lucene.list(ImageFilter.ALL, 40, 30), solr.list(ImageFilter.ALL, 40, 30));

    ImageRecord query = lucene.list(new ImageFilter("train", "c2"), 0, 1).get(0);
    Descriptor edges = descriptors.get(0);
    float[] v = solr.vector(query.id(), edges.name()).orElseThrow();
    for (boolean exact : new boolean[] {true, false}) {
      for (Metric m : edges.metrics()) { // dot has a graph
        VectorQuery q = new VectorQuery(edges.spec(), m, v, K, exact, testC2, null);
        List<SearchHit> hits = solr.search(q);
        assertEquals(TEST_PER_CLASS, hits.size(), m + " exact=" + exact);
        hits.forEach(h -> assertTrue(testC2.matches(h.image()), h.image().path()));
        assertSameHits(lucene.search(new VectorQuery(edges.spec(), m, v, K, true, testC2, null)), hits, m + " filtered");
      }
      List<SearchHit> all = solr.search(new VectorQuery(edges.spec(), edges.defaultMetric(), v, K, exact, ImageFilter.ALL, null));
      assertEquals(query.id(), all.get(0).image().id(), "an image is its own nearest neighbour");
      List<SearchHit> excluded =
          solr.search(new VectorQuery(edges.spec(), edges.defaultMetric(), v, K, exact, ImageFilter.ALL, query.id()));
      assertFalse(ids(excluded).contains(query.id()));
      assertEquals(ids(all).subList(1, K), ids(excluded).subList(0, K - 1));
    }
  }

  @Test
  void reindexingIsIncremental() throws Exception {
    Path data = TestCollections.images(tmp.resolve("incremental"), 2, 4, 1);
    List<Descriptor> hsv = List.of(descriptors.get(1));
    try (SolrImageIndex index = SolrIndexLocation.open(cloud.indexUri("incremental"))) {
      IndexSummary first = new Indexer(index, new ImageDecoder(), hsv, 2).index(data, IndexListener.NONE);
      assertEquals(10, first.indexed());

      IndexSummary again = new Indexer(index, new ImageDecoder(), hsv, 2).index(data, IndexListener.NONE);
      assertEquals(0, again.indexed());
      assertEquals(10, again.unchanged());

      String changedPath = data.resolve("train/c0/img1.jpg").toString();
      ImageRecord before = recordAt(index, changedPath);
      TestCollections.writeImage(data.resolve("train/c0"), "img1.jpg", 424242);
      Files.delete(data.resolve("train/c1/img2.jpg"));
      TestCollections.writeImage(data.resolve("test/c1"), "new.jpg", 777);

      IndexSummary third = new Indexer(index, new ImageDecoder(), hsv, 2).index(data, IndexListener.NONE);
      assertEquals(2, third.indexed(), "the changed and the new file");
      assertEquals(8, third.unchanged());
      assertEquals(1, third.removed());
      assertEquals(10, index.count(ImageFilter.ALL));
      ImageRecord after = recordAt(index, changedPath);
      assertEquals(before.id(), after.id());
      assertNotEquals(before.contentHash(), after.contentHash());
      assertTrue(index.list(ImageFilter.ALL, 0, 100).stream().noneMatch(r -> r.path().endsWith("c1/img2.jpg")));
    }
  }

  @Test
  void imagesWithoutSplitOrClassAreCountedAndListedLikeLucene() throws Exception {
    DescriptorSpec spec = TestCollections.spec("tiny", 2, Metric.L2);
    try (SolrImageIndex flat = SolrIndexLocation.open(cloud.indexUri("flat"));
        LuceneImageIndex reference = LuceneImageIndex.open(tmp.resolve("lucene-flat"))) {
      for (ImageIndex index : List.of(flat, reference)) {
        index.registerDescriptor(spec);
        String[][] rows = {{"a", "train", "cat"}, {"b", "train", null}, {"c", null, null}, {"d", null, "dog"}};
        for (String[] r : rows) {
          index.upsert(new ImageRecord(r[0], "/flat/" + r[0] + ".jpg", "h" + r[0], 1, 1, 1, r[1], r[2], null,
              java.util.Set.of(spec.key())), Map.of("tiny", new float[] {1, r[0].charAt(0)}));
        }
        index.commit();
      }
      assertEquals(reference.counts(), flat.counts());
      assertEquals(Map.of("", Map.of("", 1, "dog", 1), "train", Map.of("", 1, "cat", 1)), flat.counts());
      assertEquals(reference.list(ImageFilter.ALL, 0, 10), flat.list(ImageFilter.ALL, 0, 10));
    }
  }

  @Test
  void anUnreachableClusterGivesAClearError() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String uri = "solr://127.0.0.1:" + closedPort + "/images";
    IndexUnavailableException e = assertThrows(IndexUnavailableException.class, () -> SolrIndexLocation.open(uri));
    assertTrue(e.getMessage().contains("cannot reach Solr"), e.getMessage());
    assertTrue(e.getMessage().contains("http://127.0.0.1:" + closedPort + "/solr"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/solr-cluster"), e.getMessage());
  }

  @Test
  void searchingACollectionThatDoesNotExistSaysToIndexFirst() throws Exception {
    String uri = cloud.indexUri("never-indexed");
    IndexUnavailableException e =
        assertThrows(IndexUnavailableException.class, () -> SolrIndexLocation.openExisting(uri));
    assertTrue(e.getMessage().contains("no collection 'never-indexed'"), e.getMessage());
    assertTrue(e.getMessage().contains("imgsearch index DIR --index solr://"), e.getMessage());
    try (SolrImageIndex existing = SolrIndexLocation.openExisting(cloud.indexUri("images"))) {
      assertEquals(IMAGES, existing.count(ImageFilter.ALL));
    }
  }

  private static ImageRecord recordAt(ImageIndex index, String path) throws IOException {
    return index.list(ImageFilter.ALL, 0, 100).stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
  }

  /** One test image per class. */
  private static List<ImageRecord> queries() throws IOException {
    List<ImageRecord> out = new ArrayList<>();
    for (int c = 0; c < IMAGE_CLASSES; c++) {
      out.add(lucene.list(new ImageFilter("test", "c" + c), 0, 1).get(0));
    }
    return out;
  }

  private static void assertSameHits(List<SearchHit> expected, List<SearchHit> actual, String what) {
    assertEquals(ids(expected), ids(actual), what);
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.get(i).score();
      assertEquals(e, actual.get(i).score(), 1e-9 * Math.max(1, Math.abs(e)), what + " score " + i);
    }
  }
}
