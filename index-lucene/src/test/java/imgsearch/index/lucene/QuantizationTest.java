package imgsearch.index.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexInfo;
import imgsearch.index.Quantization;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizationTest {

  private static final DescriptorSpec DEEP = new DescriptorSpec("deep", 1, "", 32, List.of(Metric.DOT));
  private static final DescriptorSpec HIST = new DescriptorSpec("hist", 1, "", 24, List.of(Metric.CHI_SQUARED));

  @TempDir Path dir;

  private static float[] unit(Random rnd, int dim) {
    float[] v = new float[dim];
    double n = 0;
    for (int j = 0; j < dim; j++) {
      v[j] = (float) rnd.nextGaussian();
      n += v[j] * v[j];
    }
    for (int j = 0; j < dim; j++) {
      v[j] /= (float) Math.sqrt(n);
    }
    return v;
  }

  private static void fill(LuceneImageIndex index, int from, int to) throws IOException {
    Random rnd = new Random(from);
    for (int i = from; i < to; i++) {
      float[] hist = new float[HIST.dimension()];
      hist[i % hist.length] = 1;
      index.upsert(new ImageRecord("id" + i, "/p/" + i + ".jpg", "h" + i, 1, 1, 1, null, null, null, Set.of()),
          Map.of("deep", unit(rnd, DEEP.dimension()), "hist", hist));
    }
    index.commit();
  }

  /** The vector format each segment's graph field of {@code spec} was written with. */
  private Set<String> formatsOnDisk(DescriptorSpec spec) throws IOException {
    Set<String> out = new TreeSet<>();
    try (var d = FSDirectory.open(dir.resolve("lucene")); DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        FieldInfo fi = leaf.reader().getFieldInfos().fieldInfo(VectorFields.of(spec).raw());
        if (fi != null) {
          out.add(fi.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
        }
      }
    }
    return out;
  }

  @Test
  void theChoiceIsStoredShownAndUsedToWriteTheGraph() throws IOException {
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(DEEP, Quantization.INT8);
      index.registerDescriptor(HIST);
      fill(index, 0, 50);
    }
    assertEquals(Set.of("ImgsearchHnswInt8"), formatsOnDisk(DEEP));
    try (LuceneImageIndex index = LuceneImageIndex.openReadOnly(dir)) {
      assertEquals(Quantization.INT8, index.quantizations().get("deep"));
      IndexInfo info = index.info();
      assertEquals(50, info.images());
      IndexInfo.Descriptor deep = info.descriptors().stream().filter(d -> d.spec().name().equals("deep")).findFirst()
          .orElseThrow();
      assertEquals(Quantization.INT8, deep.quantization());
      assertEquals(List.of(Metric.DOT), deep.graphMetrics());
      assertEquals(50, deep.vectors());
      assertTrue(deep.searchDescription().contains("int8"), deep.searchDescription());
      IndexInfo.Descriptor hist = info.descriptors().stream().filter(d -> d.spec().name().equals("hist")).findFirst()
          .orElseThrow();
      assertNull(hist.quantization(), "an exact-scan descriptor has no graph to quantize");
      assertEquals("exact scan", hist.searchDescription());
      assertEquals("int8", ((List<Map<String, Object>>) info.asMap().get("descriptors")).get(0).get("quantization"));
    }
  }

  @Test
  void reRegisteringWithoutAChoiceKeepsTheStoredOne() throws IOException {
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(DEEP, Quantization.INT4);
      index.registerDescriptor(HIST);
      fill(index, 0, 20);
    }
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(DEEP);
      fill(index, 20, 40);
      assertEquals(Quantization.INT4, index.quantizations().get("deep"));
    }
    assertEquals(Set.of("ImgsearchHnswInt4"), formatsOnDisk(DEEP));
  }

  @Test
  void changingTheQuantizationRewritesEverySegmentAndKeepsEveryVector() throws IOException {
    float[] probe;
    List<SearchHit> before;
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(DEEP, Quantization.NONE);
      index.registerDescriptor(HIST);
      fill(index, 0, 30);
      fill(index, 30, 60); // a second segment
      probe = index.vector("id7", "deep").orElseThrow();
      before = index.search(new VectorQuery(index.descriptor("deep"), Metric.DOT, probe, 5, true, ImageFilter.ALL, null));
    }
    assertEquals(Set.of("Lucene99HnswVectorsFormat"), formatsOnDisk(DEEP));
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(DEEP, Quantization.INT7);
      assertEquals(60, index.count(ImageFilter.ALL));
      assertEquals(probe.length, index.vector("id7", "deep").orElseThrow().length);
      // Exact scores come from the float vectors, which the rewrite kept bit for bit.
      List<SearchHit> after =
          index.search(new VectorQuery(index.descriptor("deep"), Metric.DOT, probe, 5, true, ImageFilter.ALL, null));
      assertEquals(before.stream().map(h -> h.image().id() + "=" + h.score()).toList(),
          after.stream().map(h -> h.image().id() + "=" + h.score()).toList());
      List<SearchHit> graph =
          index.search(new VectorQuery(index.descriptor("deep"), Metric.DOT, probe, 1, false, ImageFilter.ALL, null));
      assertEquals("id7", graph.get(0).image().id());
    }
    assertEquals(Set.of("ImgsearchHnswInt7"), formatsOnDisk(DEEP));
    try (LuceneImageIndex index = LuceneImageIndex.openReadOnly(dir)) {
      assertEquals(Quantization.INT7, index.quantizations().get("deep"));
    }
  }

  @Test
  void aNewDescriptorTakesTheDefault() throws IOException {
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(DEEP); // new descriptor: the default
      index.registerDescriptor(HIST);
      fill(index, 0, 10);
      assertEquals(LuceneImageIndex.DEFAULT_QUANTIZATION, index.quantizations().get("deep"));
    }
  }
}
