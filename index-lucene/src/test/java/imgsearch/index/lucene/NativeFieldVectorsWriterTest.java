package imgsearch.index.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flat vectors buffered in native memory come back from the segment exactly as they were added. */
class NativeFieldVectorsWriterTest {

  private static final String BYTES = ImgsearchCodec.FLAT_PREFIX + "bytes";
  private static final String FLOATS = ImgsearchCodec.FLAT_PREFIX + "floats";

  @TempDir Path dir;

  @Test
  void byteAndFloatVectorsReadBackExactlyAcrossChunksAndSegments() throws IOException {
    // 150,528 bytes (raw pixels): 27 vectors to a chunk, so 100 vectors span four chunks; some documents
    // have no vector of one field or the other.
    int byteDim = 224 * 224 * 3, floatDim = 1000;
    Random rnd = new Random(7);
    Map<String, byte[]> bytesById = new HashMap<>();
    Map<String, float[]> floatsById = new HashMap<>();
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCodec(new ImgsearchCodec())
            .setMergePolicy(NoMergePolicy.INSTANCE))) {
      for (int i = 0; i < 100; i++) {
        String id = "img" + i;
        Document doc = new Document();
        doc.add(new StringField("id", id, Field.Store.NO));
        doc.add(new StoredField("id", id));
        if (i % 7 != 3) {
          byte[] v = new byte[byteDim];
          rnd.nextBytes(v);
          bytesById.put(id, v);
          doc.add(new KnnByteVectorField(BYTES, v, VectorSimilarityFunction.EUCLIDEAN));
        }
        if (i % 5 != 1) {
          float[] v = new float[floatDim];
          for (int j = 0; j < floatDim; j++) {
            v[j] = (float) rnd.nextGaussian();
          }
          floatsById.put(id, v);
          doc.add(new KnnFloatVectorField(FLOATS, v, VectorSimilarityFunction.EUCLIDEAN));
        }
        w.addDocument(doc);
        if (i == 59) {
          w.flush(); // a second segment
        }
      }
      w.commit();
    }

    int bytesSeen = 0, floatsSeen = 0;
    try (Directory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
      assertEquals(2, r.leaves().size());
      for (LeafReaderContext leaf : r.leaves()) {
        StoredFields stored = leaf.reader().storedFields();
        ByteVectorValues bytes = leaf.reader().getByteVectorValues(BYTES);
        KnnVectorValues.DocIndexIterator it = bytes.iterator();
        for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          String id = stored.document(doc).get("id");
          assertArrayEquals(bytesById.get(id), bytes.vectorValue(it.index()), id);
          bytesSeen++;
        }
        FloatVectorValues floats = leaf.reader().getFloatVectorValues(FLOATS);
        it = floats.iterator();
        for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          String id = stored.document(doc).get("id");
          assertArrayEquals(floatsById.get(id), floats.vectorValue(it.index()), id);
          floatsSeen++;
        }
      }
    }
    assertEquals(bytesById.size(), bytesSeen);
    assertEquals(floatsById.size(), floatsSeen);
  }

  @Test
  void aSecondVectorOfTheSameFieldInOneDocumentIsRefusedAsLuceneRefusesIt() throws IOException {
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCodec(new ImgsearchCodec()))) {
      Document doc = new Document();
      doc.add(new KnnByteVectorField(BYTES, new byte[] {1, 2, 3}, VectorSimilarityFunction.EUCLIDEAN));
      doc.add(new KnnByteVectorField(BYTES, new byte[] {4, 5, 6}, VectorSimilarityFunction.EUCLIDEAN));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.addDocument(doc));
      assertTrue(e.getMessage().contains("appears more than once"), e.getMessage());
    }
  }

  @Test
  void theBufferedVectorsCountTowardsTheWritersRamBuffer() throws IOException {
    // The writer flushes a segment when its buffers pass the RAM buffer: native memory must be counted.
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCodec(new ImgsearchCodec())
            .setRAMBufferSizeMB(1000).setMergePolicy(NoMergePolicy.INSTANCE))) {
      long before = w.ramBytesUsed();
      for (int i = 0; i < 40; i++) {
        Document doc = new Document();
        doc.add(new KnnByteVectorField(BYTES, new byte[150_528], VectorSimilarityFunction.EUCLIDEAN));
        w.addDocument(doc);
      }
      assertTrue(w.ramBytesUsed() - before >= 40L * 150_528, "counted: " + (w.ramBytesUsed() - before));
    }
  }
}
