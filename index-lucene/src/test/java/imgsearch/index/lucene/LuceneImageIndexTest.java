package imgsearch.index.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.index.Attribution;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexUnavailableException;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneImageIndexTest {

  private static final DescriptorSpec SHORT = new DescriptorSpec("short", 1, "", 16,
      List.of(Metric.L2, Metric.L1, Metric.COSINE, Metric.CORRELATION, Metric.CHI_SQUARED));
  private static final DescriptorSpec LONG = new DescriptorSpec("long", 1, "size=64", 64 * 64 * 3,
      List.of(Metric.L1, Metric.L2));

  @TempDir Path dir;

  private static ImageRecord record(int i, String split, String label) {
    return new ImageRecord("id" + i, "/photos/" + label + "/" + i + ".jpg", "hash" + i, 1000 + i, 64, 48, split, label,
        null, Set.of());
  }

  /** Clustered, non-negative vectors: a realistic case for HNSW and valid histograms for chi2. */
  private static float[] vector(Random rnd, int cluster, int dim) {
    float[] v = new float[dim];
    for (int j = 0; j < dim; j++) {
      v[j] = (float) Math.abs(((j + cluster * 7) % 11) / 11.0 + rnd.nextGaussian() * 0.15);
    }
    return v;
  }

  private LuceneImageIndex filled(int n) throws IOException {
    LuceneImageIndex index = LuceneImageIndex.open(dir);
    index.registerDescriptor(SHORT);
    index.registerDescriptor(LONG);
    Random rnd = new Random(42);
    for (int i = 0; i < n; i++) {
      int cluster = i % 5;
      index.upsert(record(i, i % 4 == 0 ? "test" : "train", "c" + cluster),
          Map.of("short", vector(rnd, cluster, SHORT.dimension()), "long", vector(rnd, cluster, LONG.dimension())));
    }
    index.commit();
    return index;
  }

  @Test
  void equalScoresRankByImageIdWhateverTheOrderOfIndexing(@TempDir Path other) throws IOException {
    // The same photo stored five times: the order indexing threads add them in must not show in results.
    float[] same = vector(new Random(1), 2, SHORT.dimension());
    float[] far = vector(new Random(2), 4, SHORT.dimension());
    List<Integer> forward = List.of(0, 1, 2, 3, 4, 5, 6);
    List<Integer> backward = List.of(6, 5, 4, 3, 2, 1, 0);
    List<List<String>> rankings = new ArrayList<>();
    for (Path where : List.of(dir, other)) {
      try (LuceneImageIndex index = LuceneImageIndex.open(where)) {
        index.registerDescriptor(SHORT);
        for (int i : where == dir ? forward : backward) {
          index.upsert(record(i, "train", "c"), Map.of("short", i < 5 ? same : far));
          index.commit(); // a segment each, so doc order and segment order both differ between the two
        }
        for (boolean exact : new boolean[] {true, false}) {
          List<SearchHit> hits =
              index.search(new VectorQuery(index.descriptor("short"), Metric.L2, same, 3, exact, null, null));
          rankings.add(hits.stream().map(h -> h.image().id()).toList());
        }
      }
    }
    for (List<String> ranking : rankings) {
      assertEquals(List.of("id0", "id1", "id2"), ranking);
    }
  }

  @Test
  void exactScanRanksByTextbookScores() throws IOException {
    try (LuceneImageIndex index = filled(60)) {
      float[] q = index.vector("id7", "short").orElseThrow();
      for (Metric m : SHORT.metrics()) {
        List<SearchHit> hits = index.search(new VectorQuery(index.descriptor("short"), m, q, 60, true, null, null));
        assertEquals(60, hits.size());
        // The image itself is its own best match under every metric.
        assertEquals("id7", hits.get(0).image().id(), m.id());
        for (int i = 1; i < hits.size(); i++) {
          assertFalse(m.better(hits.get(i).score(), hits.get(i - 1).score()), m.id() + " not sorted at " + i);
        }
        float[] other = index.vector(hits.get(3).image().id(), "short").orElseThrow();
        assertEquals(m.score(q, other), hits.get(3).score(), 1e-9, "score is the metric's own value");
      }
    }
  }

  @Test
  void hnswAgreesWithExactOnASmallCollection() throws IOException {
    try (LuceneImageIndex index = filled(200)) {
      for (Metric m : List.of(Metric.L2, Metric.CORRELATION)) {
        for (int qi = 0; qi < 20; qi++) {
          float[] q = index.vector("id" + qi, "short").orElseThrow();
          DescriptorSpec spec = index.descriptor("short");
          List<String> exact = ids(index.search(new VectorQuery(spec, m, q, 10, true, null, null)));
          List<String> approx = ids(index.search(new VectorQuery(spec, m, q, 10, false, null, null)));
          assertEquals(exact, approx, m.id() + " query " + qi);
        }
      }
    }
  }

  @Test
  void longVectorsAreStoredFlatAndScannedExactly() throws IOException {
    try (LuceneImageIndex index = filled(30)) {
      assertFalse(VectorFields.of(LONG).graph());
      float[] q = index.vector("id3", "long").orElseThrow();
      List<SearchHit> hits = index.search(new VectorQuery(index.descriptor("long"), Metric.L1, q, 5, false, null, null));
      assertEquals("id3", hits.get(0).image().id());
      assertEquals(0.0, hits.get(0).score());
    }
  }

  /** Pixel-like uint8 vectors are stored as bytes and scanned in place, with the float vectors' exact scores. */
  @Test
  void uint8VectorsAreStoredAsBytesAndScoreAsFloats(@TempDir Path floats) throws IOException {
    int dim = 3 * 40 * 40;
    DescriptorSpec bytes = new DescriptorSpec("pix", 2, "size=40", dim,
        List.of(Metric.CORRELATION, Metric.COSINE, Metric.L1, Metric.L2), VectorEncoding.UINT8);
    DescriptorSpec asFloats = new DescriptorSpec("pix", 2, "size=40", dim,
        List.of(Metric.CORRELATION, Metric.COSINE, Metric.L1, Metric.L2));
    assertTrue(VectorFields.of(bytes).bytes());
    assertFalse(VectorFields.of(asFloats).bytes());
    Random rnd = new Random(3);
    List<float[]> vectors = new ArrayList<>();
    try (LuceneImageIndex b = LuceneImageIndex.open(dir); LuceneImageIndex f = LuceneImageIndex.open(floats)) {
      b.registerDescriptor(bytes);
      f.registerDescriptor(asFloats);
      for (int i = 0; i < 60; i++) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
          v[j] = rnd.nextInt(256);
        }
        vectors.add(v);
        // Every other image given as bytes, as the indexer gives raw pixels: the same fields either way (the
        // float-stored index widens them).
        if (i % 2 == 0) {
          b.upsert(record(i, null, "c"), Map.of(), Map.of("pix", VectorEncoding.toUnsignedBytes(v)));
          f.upsert(record(i, null, "c"), Map.of(), Map.of("pix", VectorEncoding.toUnsignedBytes(v)));
        } else {
          b.upsert(record(i, null, "c"), Map.of("pix", v));
          f.upsert(record(i, null, "c"), Map.of("pix", v));
        }
        if (i == 30) { // two segments
          b.commit();
          f.commit();
        }
      }
      b.commit();
      f.commit();
      b.delete("id7");
      f.delete("id7");
      b.commit();
      f.commit();
      assertEquals(List.of(vectors.get(5)[0], vectors.get(5)[dim - 1]),
          List.of(b.vector("id5", "pix").orElseThrow()[0], b.vector("id5", "pix").orElseThrow()[dim - 1]));
      assertTrue(java.util.Arrays.equals(vectors.get(5), b.vector("id5", "pix").orElseThrow()));
      assertTrue(java.util.Arrays.equals(vectors.get(6), b.vector("id6", "pix").orElseThrow()));
      assertTrue(java.util.Arrays.equals(vectors.get(6), f.vector("id6", "pix").orElseThrow()));
      assertEquals(Set.of(bytes.key()), b.get("id6").orElseThrow().descriptors());
      for (Metric m : bytes.metrics()) {
        List<SearchHit> fromBytes = b.search(new VectorQuery(bytes, m, vectors.get(11), 8, true, ImageFilter.ALL, null));
        List<SearchHit> fromFloats = f.search(new VectorQuery(asFloats, m, vectors.get(11), 8, true, ImageFilter.ALL, null));
        assertEquals(fromFloats.stream().map(h -> h.image().id() + "=" + h.score()).toList(),
            fromBytes.stream().map(h -> h.image().id() + "=" + h.score()).toList(), m.id());
        assertEquals("id11", fromBytes.get(0).image().id(), m.id());
        assertFalse(fromBytes.stream().anyMatch(h -> h.image().id().equals("id7")), "deleted");
      }
      float[] notAPixel = vectors.get(0).clone();
      notAPixel[3] = 0.5f;
      var e = assertThrows(IllegalArgumentException.class, () -> b.upsert(record(99, null, "c"), Map.of("pix", notAPixel)));
      assertTrue(e.getMessage().contains("0 to 255"), e.getMessage());
      var shortBytes = assertThrows(IllegalArgumentException.class,
          () -> b.upsert(record(99, null, "c"), Map.of(), Map.of("pix", new byte[dim - 1])));
      assertTrue(shortBytes.getMessage().contains("got " + (dim - 1)), shortBytes.getMessage());
      // What `imgsearch info` says they take: one byte per value, a quarter of the floats.
      assertEquals(59L * dim, b.info().descriptors().get(0).approxBytes());
      assertEquals(59L * 4 * dim, f.info().descriptors().get(0).approxBytes());
    }
  }

  @Test
  void filtersAndExclusionApply() throws IOException {
    try (LuceneImageIndex index = filled(40)) {
      float[] q = index.vector("id0", "short").orElseThrow();
      List<SearchHit> hits = index.search(new VectorQuery(index.descriptor("short"), Metric.L2, q, 40, false,
          new ImageFilter("train", "c0"), "id0"));
      assertFalse(hits.isEmpty());
      for (SearchHit h : hits) {
        assertEquals("train", h.image().split());
        assertEquals("c0", h.image().label());
        assertFalse(h.image().id().equals("id0"));
      }
      assertEquals(30, index.count(new ImageFilter("train", null)));
      assertEquals(Map.of("c0", 2, "c1", 2, "c2", 2, "c3", 2, "c4", 2), index.counts().get("test"));
    }
  }

  @Test
  void upsertReplacesAndDeleteRemoves() throws IOException {
    try (LuceneImageIndex index = filled(10)) {
      Attribution a = new Attribution("flickr", "https://example.org/p/1", null, "Fox", "Ann", null, "4", "CC BY 2.0",
          null, List.of("fox"), null);
      ImageRecord changed = new ImageRecord("id1", "/photos/c1/1.jpg", "newhash", 5, 10, 10, "train", "c1", a, Set.of());
      index.upsert(changed, Map.of("short", new float[16]));
      index.delete("id2");
      index.refresh();
      assertEquals(9, index.count(ImageFilter.ALL));
      ImageRecord got = index.get("id1").orElseThrow();
      assertEquals("newhash", got.contentHash());
      assertEquals(a, got.attribution());
      assertEquals(Set.of(SHORT.key()), got.descriptors());
      assertTrue(index.vector("id1", "long").isEmpty());
      assertTrue(index.get("id2").isEmpty());
    }
  }

  @Test
  void nearRealTimeAndCrossProcessVisibility() throws IOException {
    try (LuceneImageIndex writer = filled(5)) {
      try (LuceneImageIndex reader = LuceneImageIndex.openReadOnly(dir)) {
        assertEquals(5, reader.count(ImageFilter.ALL));
        assertEquals(Set.of("short", "long"), reader.descriptors().keySet());
        writer.upsert(record(99, "train", "c1"), Map.of("short", new float[16]));
        writer.refresh();
        assertEquals(6, writer.count(ImageFilter.ALL), "the writer's own searches see it before commit");
        assertEquals(5, reader.count(ImageFilter.ALL), "other processes see commits only");
        writer.commit();
        reader.refresh(); // a read-only index also looks for new commits by itself, twice a second
        assertEquals(6, reader.count(ImageFilter.ALL));
      }
    }
  }

  @Test
  void changedDescriptorSpecGoesToNewFields() throws IOException {
    try (LuceneImageIndex index = filled(5)) {
      DescriptorSpec v2 = new DescriptorSpec("short", 2, "", 8, List.of(Metric.L2));
      index.registerDescriptor(v2);
      index.upsert(record(1, "train", "c1"), Map.of("short", new float[8]));
      index.commit();
      List<SearchHit> hits =
          index.search(new VectorQuery(index.descriptor("short"), Metric.L2, new float[8], 10, true, null, null));
      assertEquals(List.of("id1"), ids(hits), "only images described with v2 are comparable");
    }
  }

  @Test
  void clearErrors() throws IOException {
    IndexUnavailableException missing = assertThrows(IndexUnavailableException.class,
        () -> LuceneImageIndex.openReadOnly(dir.resolve("nothing")));
    assertTrue(missing.getMessage().contains("imgsearch index"));
    try (LuceneImageIndex index = filled(3)) {
      IndexUnavailableException locked = assertThrows(IndexUnavailableException.class, () -> LuceneImageIndex.open(dir));
      assertTrue(locked.getMessage().contains("another imgsearch process"));
      assertThrows(IllegalArgumentException.class,
          () -> index.search(new VectorQuery(index.descriptor("short"), Metric.DOT, new float[16], 3, true, null, null)));
      assertThrows(IllegalArgumentException.class,
          () -> index.search(new VectorQuery(index.descriptor("nope"), Metric.L2, new float[16], 3, true, null, null)));
      assertThrows(IllegalArgumentException.class,
          () -> index.search(new VectorQuery(index.descriptor("short"), Metric.L2, new float[3], 3, true, null, null)));
    }
  }

  @Test
  void anIndexFromANewerImgsearchIsRefusedWithWhatToDoAndLeftAsItIs() throws IOException {
    filled(3).close();
    // A newer imgsearch stores its graphs in a form this one does not know.
    Map<String, String> data = new HashMap<>();
    try (Directory d = FSDirectory.open(dir.resolve("lucene"));
         IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCodec(new ImgsearchCodec()))) {
      w.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      data.put("quantization.short", "int3");
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
    IndexUnavailableException writing = assertThrows(IndexUnavailableException.class, () -> LuceneImageIndex.open(dir));
    assertTrue(writing.getMessage().startsWith("this index was written by a newer imgsearch"), writing.getMessage());
    assertTrue(writing.getMessage().contains("'int3'") && writing.getMessage().contains("upgrade imgsearch"),
        writing.getMessage());
    try (LuceneImageIndex reading = LuceneImageIndex.openReadOnly(dir)) {
      assertThrows(IndexUnavailableException.class, reading::descriptors);
    }
    try (Directory d = FSDirectory.open(dir.resolve("lucene")); DirectoryReader r = DirectoryReader.open(d)) {
      assertEquals(data, r.getIndexCommit().getUserData(), "nothing was committed over it");
      assertEquals(3, r.numDocs());
    }
  }

  @Test
  void listIsStableAndPaged() throws IOException {
    try (LuceneImageIndex index = filled(12)) {
      List<ImageRecord> all = index.list(ImageFilter.ALL, 0, 100);
      assertEquals(12, all.size());
      List<ImageRecord> sorted = new ArrayList<>(all);
      sorted.sort(Comparator.comparing(ImageRecord::split).thenComparing(ImageRecord::label)
          .thenComparing(ImageRecord::path));
      assertEquals(sorted, all);
      assertEquals(all.subList(5, 9), index.list(ImageFilter.ALL, 5, 4));
    }
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(h -> h.image().id()).toList();
  }
}
