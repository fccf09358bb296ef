package imgsearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.DescriptorUnavailableException;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.Metric;
import imgsearch.image.ImageDecoder;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexerTest {

  @TempDir Path tmp;

  /** Mean colour: three numbers, enough to tell generated scenes apart and fast to compute. */
  record MeanColour(int version) implements Descriptor {
    public String name() { return "mean"; }
    public String config() { return ""; }
    public int dimension() { return 3; }
    public List<Metric> metrics() { return List.of(Metric.L2, Metric.L1); }
    public float[] describe(BufferedImage image) {
      double r = 0, g = 0, b = 0;
      int n = image.getWidth() * image.getHeight();
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int p = image.getRGB(x, y);
          r += (p >> 16) & 255;
          g += (p >> 8) & 255;
          b += p & 255;
        }
      }
      return new float[] {(float) (r / n), (float) (g / n), (float) (b / n)};
    }
  }

  private static void put(Path dir, String name, byte[] bytes) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    TestImages.write(dir, name, bytes);
  }

  private Path collection() {
    Path data = tmp.resolve("data");
    for (int i = 0; i < 4; i++) {
      put(data.resolve("train/fox"), "f" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(i, 64, 48), 0.9f));
      put(data.resolve("train/boat"), "b" + i + ".png", TestImages.png(TestImages.photoLike(100 + i, 48, 64)));
    }
    put(data.resolve("test/fox"), "f9.jpg", TestImages.jpeg(TestImages.photoLike(9, 64, 48), 0.9f));
    put(data.resolve("test/boat"), "b9.jpg", TestImages.jpeg(TestImages.photoLike(109, 64, 48), 0.9f));
    put(data.resolve("originals"), "ignored.jpg", TestImages.jpeg(TestImages.photoLike(5, 32, 32), 0.9f));
    return data;
  }

  private IndexSummary run(Path index, Path data, int version, IndexListener listener) throws IOException {
    try (LuceneImageIndex idx = LuceneImageIndex.open(index)) {
      return new Indexer(idx, new ImageDecoder(), List.of(new MeanColour(version)), 2).index(data, listener);
    }
  }

  @Test
  void indexesTrainTestLayoutWithSplitClassAndAttribution() throws IOException {
    Path data = collection();
    Files.writeString(data.resolve(Manifest.FILE_NAME),
        "{\"id\":\"1\",\"class\":\"fox\",\"split\":\"train\",\"file\":\"train/fox/f0.jpg\",\"title\":\"Red <fox>\","
            + "\"owner\":\"Ann\",\"license_id\":\"4\",\"license_name\":\"CC BY 2.0\",\"page_url\":\"https://example.org/p/1\"}\n"
            + "{\"id\":\"2\",\"class\":\"fox\",\"spl");
    IndexSummary s = run(tmp.resolve("index"), data, 1, IndexListener.NONE);
    assertEquals(10, s.indexed());
    assertEquals(0, s.failed().size());
    try (LuceneImageIndex idx = LuceneImageIndex.openReadOnly(tmp.resolve("index"))) {
      assertEquals(8, idx.count(new ImageFilter("train", null)));
      assertEquals(1, idx.count(new ImageFilter("test", "boat")));
      ImageRecord fox = idx.get(Indexer.idOf(data.resolve("train/fox/f0.jpg"))).orElseThrow();
      assertEquals("fox", fox.label());
      assertEquals(64, fox.width());
      assertNotNull(fox.attribution());
      assertEquals("Red <fox>", fox.attribution().title());
      assertNull(idx.get(Indexer.idOf(data.resolve("train/fox/f1.jpg"))).orElseThrow().attribution());
    }
  }

  @Test
  void rerunsAreIncremental() throws IOException {
    Path data = collection();
    Path index = tmp.resolve("index");
    run(index, data, 1, IndexListener.NONE);
    IndexSummary again = run(index, data, 1, IndexListener.NONE);
    assertEquals(0, again.indexed());
    assertEquals(10, again.unchanged());

    put(data.resolve("train/fox"), "f0.jpg", TestImages.jpeg(TestImages.photoLike(42, 64, 48), 0.9f));
    Files.delete(data.resolve("train/boat/b3.png"));
    put(data.resolve("train/boat"), "new.jpg", TestImages.jpeg(TestImages.photoLike(77, 64, 48), 0.9f));
    IndexSummary changed = run(index, data, 1, IndexListener.NONE);
    assertEquals(2, changed.indexed(), "the changed file and the new one");
    assertEquals(1, changed.removed());
    assertEquals(8, changed.unchanged());

    IndexSummary newVersion = run(index, data, 2, IndexListener.NONE);
    assertEquals(10, newVersion.indexed(), "a new descriptor version re-describes everything");
  }

  @Test
  void anEdgeColourV1IndexIsReDescribedWithTheCurrentVersion() throws Exception {
    Path data = collection();
    Path index = tmp.resolve("index");
    EdgeColourDescriptor current = new EdgeColourDescriptor();
    // an index as edge-colour v1 left it: its spec (cosine first) and a vector for every image
    DescriptorSpec v1 = new DescriptorSpec(EdgeColourDescriptor.NAME, 1, "", current.dimension(),
        List.of(Metric.COSINE, Metric.DOT, Metric.L2));
    try (LuceneImageIndex idx = LuceneImageIndex.open(index)) {
      idx.registerDescriptor(v1);
      float[] old = new float[current.dimension()];
      old[0] = 1;
      try (var files = Files.walk(data)) {
        for (Path f : files.filter(p -> p.toString().endsWith("g")).toList()) {
          idx.upsert(new ImageRecord(Indexer.idOf(f), f.toString(), "stale", 0, 1, 1, null, null, null,
              java.util.Set.of(v1.key())), java.util.Map.of(EdgeColourDescriptor.NAME, old));
        }
      }
      idx.commit();
    }
    try (LuceneImageIndex idx = LuceneImageIndex.open(index)) {
      IndexSummary s = new Indexer(idx, new ImageDecoder(), List.of(current), 2).index(data, IndexListener.NONE);
      assertEquals(10, s.indexed(), "every image is described again with the new version");
      assertEquals(current.spec(), idx.descriptors().get(EdgeColourDescriptor.NAME));
      // searches follow the new spec: dot product, the default
      ImageRecord fox = idx.get(Indexer.idOf(data.resolve("train/fox/f0.jpg"))).orElseThrow();
      var results = new imgsearch.search.ImageSearcher(idx, imgsearch.descriptor.ClassicDescriptors.registry())
          .byImage(new ImageDecoder().decode(Path.of(fox.path())).image(), imgsearch.search.SearchOptions.defaults());
      assertEquals(Metric.DOT, results.metric());
      assertEquals(fox.id(), results.hits().get(0).image().id());
    }
  }

  @Test
  void undecodableFilesAreReportedAndSkipped() throws IOException {
    Path data = collection();
    put(data.resolve("train/fox"), "page.jpg", TestImages.html());
    put(data.resolve("train/fox"), "cut.jpg",
        TestImages.truncated(TestImages.jpeg(TestImages.photoLike(3, 64, 48), 0.9f), 300));
    IndexSummary s = run(tmp.resolve("index"), data, 1, IndexListener.NONE);
    assertEquals(10, s.indexed());
    assertEquals(2, s.failed().size());
    assertTrue(s.failed().stream().allMatch(f -> !f.reason().isBlank()));
  }

  @Test
  void failuresHaveAKindAndAreCountedOncePerCause() throws IOException {
    Path data = tmp.resolve("broken");
    for (int i = 0; i < 3; i++) {
      put(data, "page" + i + ".jpg", TestImages.html());
    }
    put(data, "cut.jpg", TestImages.truncated(TestImages.jpeg(TestImages.photoLike(3, 64, 48), 0.9f), 300));
    IndexSummary s = run(tmp.resolve("index"), data, 1, IndexListener.NONE);
    assertTrue(s.allFailed());
    assertEquals(4, s.files());
    assertEquals(List.of(new IndexSummary.FailureCount("not an image", IndexSummary.FailureKind.NOT_AN_IMAGE, 3),
        new IndexSummary.FailureCount("truncated", IndexSummary.FailureKind.TRUNCATED, 1)), s.failureCounts());
  }

  @Test
  void describeFailuresAreCountedByTheFirstLineOfTheirMessage() {
    Path a = tmp.resolve("a.jpg");
    Path b = tmp.resolve("b.jpg");
    IndexSummary s = new IndexSummary(1, 0, 0, List.of(
        new IndexSummary.Failure(a, IndexSummary.FailureKind.CANNOT_DESCRIBE, "cannot describe: out of memory\nat x"),
        new IndexSummary.Failure(b, IndexSummary.FailureKind.CANNOT_DESCRIBE, "cannot describe: out of memory\nat y"),
        new IndexSummary.Failure(b, IndexSummary.FailureKind.CANNOT_DESCRIBE, "cannot describe: " + "z".repeat(500))),
        false, 10);
    assertEquals(2, s.failureCounts().size());
    assertEquals("cannot describe: out of memory", s.failureCounts().get(0).cause());
    assertEquals(2, s.failureCounts().get(0).count());
    assertTrue(s.failureCounts().get(1).cause().length() <= 120, s.failureCounts().get(1).cause());
    assertTrue(!s.allFailed(), "one image was indexed");
  }

  /** A deep descriptor whose model cannot be had: fails on prepare, or (prepared) on every image. */
  record Unavailable(boolean failOnPrepare) implements Descriptor {
    static DescriptorUnavailableException failure() {
      return new DescriptorUnavailableException("Model tiny is not available: gone.", null);
    }
    public String name() { return "deep"; }
    public int version() { return 1; }
    public String config() { return ""; }
    public int dimension() { return 3; }
    public List<Metric> metrics() { return List.of(Metric.DOT); }
    public void prepare() {
      if (failOnPrepare) {
        throw failure();
      }
    }
    public float[] describe(BufferedImage image) { throw failure(); }
  }

  @Test
  void aModelThatCannotBeHadFailsTheRunBeforeTheIndexIsTouched() throws IOException {
    Path data = collection();
    Path index = tmp.resolve("index");
    try (LuceneImageIndex idx = LuceneImageIndex.open(index)) {
      Indexer indexer = new Indexer(idx, new ImageDecoder(), List.of(new MeanColour(1), new Unavailable(true)), 2);
      assertThrows(DescriptorUnavailableException.class, () -> indexer.index(data, IndexListener.NONE));
      assertTrue(idx.descriptors().isEmpty(), "no descriptor registered: " + idx.descriptors());
      try (FSDirectory lucene = FSDirectory.open(index.resolve("lucene"))) {
        assertTrue(!DirectoryReader.indexExists(lucene), "nothing committed"); // (closing the index would commit)
      }
    }
  }

  @Test
  void aModelThatBreaksDuringTheRunEndsItInsteadOfFailingEveryImage() throws IOException {
    Path data = collection();
    try (LuceneImageIndex idx = LuceneImageIndex.open(tmp.resolve("index"))) {
      Indexer indexer = new Indexer(idx, new ImageDecoder(), List.of(new Unavailable(false)), 2);
      DescriptorUnavailableException e = assertThrows(DescriptorUnavailableException.class,
          () -> indexer.index(data, IndexListener.NONE));
      assertTrue(e.getMessage().contains("gone."), e.getMessage());
    }
  }

  @Test
  void anInterruptedRunLeavesAValidIndexThatTheNextRunCompletes() throws IOException {
    Path data = collection();
    Path index = tmp.resolve("index");
    AtomicInteger seen = new AtomicInteger();
    IndexSummary stopped;
    try (LuceneImageIndex idx = LuceneImageIndex.open(index)) {
      Indexer indexer = new Indexer(idx, new ImageDecoder(), List.of(new MeanColour(1)), 1);
      stopped = indexer.index(data, new IndexListener() {
        @Override
        public void fileDone(Path file, IndexSummary.Outcome outcome) {
          if (seen.incrementAndGet() == 3) {
            indexer.cancel();
          }
        }
      });
    }
    assertTrue(stopped.cancelled());
    assertTrue(stopped.indexed() >= 3 && stopped.indexed() < 10, "stopped after " + stopped.indexed());
    try (LuceneImageIndex idx = LuceneImageIndex.openReadOnly(index)) {
      assertEquals(stopped.indexed(), idx.count(ImageFilter.ALL));
    }
    IndexSummary resumed = run(index, data, 1, IndexListener.NONE);
    assertEquals(10 - stopped.indexed(), resumed.indexed());
    assertEquals(stopped.indexed(), resumed.unchanged());
  }

  @Test
  void anIndexInsideTheFolderIsNotIndexed() throws IOException {
    Path photos = tmp.resolve("photos");
    put(photos, "a.jpg", TestImages.jpeg(TestImages.photoLike(1, 40, 30), 0.9f));
    put(photos.resolve("holiday"), "b.png", TestImages.png(TestImages.photoLike(2, 40, 30)));
    Path index = photos.resolve(".cache/idx");
    run(photos.resolve("myindex"), photos, 1, IndexListener.NONE);
    put(photos.resolve("myindex"), "stray.jpg", TestImages.jpeg(TestImages.photoLike(3, 40, 30), 0.9f));
    IndexSummary s = run(photos.resolve("myindex"), photos, 1, IndexListener.NONE);
    assertEquals(2, s.unchanged());
    assertEquals(0, s.indexed());
    assertTrue(Files.notExists(index));
    try (LuceneImageIndex idx = LuceneImageIndex.openReadOnly(photos.resolve("myindex"))) {
      assertNull(idx.list(ImageFilter.ALL, 0, 10).get(0).split(), "no split outside a train/test layout");
    }
  }
}
