package imgsearch.eval.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnnFilesTest {

  @TempDir Path dir;

  @Test
  void fvecsAndIvecsAreTexmexLittleEndianRows() throws IOException {
    Path f = dir.resolve("a.fvecs");
    try (VectorFiles.Writer w = new VectorFiles.Writer(f)) {
      w.write(new float[] {1.5f, -2f, 0f});
      w.write(new float[] {3f, 4f, 5f});
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(2 * (4 + 3 * 4), b.capacity());
    assertEquals(3, b.getInt(0));
    assertEquals(1.5f, b.getFloat(4));
    assertEquals(3, b.getInt(16));
    List<float[]> back = VectorFiles.readFvecs(f);
    assertArrayEquals(new float[] {3f, 4f, 5f}, back.get(1));
    assertEquals(new VectorFiles.Shape(3, 2), VectorFiles.shapeOf(f));

    Path i = dir.resolve("t.ivecs");
    try (VectorFiles.Writer w = new VectorFiles.Writer(i)) {
      w.write(new int[] {7, 3});
      w.write(new int[] {0, 1});
    }
    assertEquals(7, ByteBuffer.wrap(Files.readAllBytes(i)).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
    assertArrayEquals(new int[] {0, 1}, VectorFiles.readIvecs(i).get(1));
  }

  @Test
  void aTruncatedFileIsAClearError() throws IOException {
    Path f = dir.resolve("cut.fvecs");
    try (VectorFiles.Writer w = new VectorFiles.Writer(f)) {
      w.write(new float[] {1, 2, 3, 4});
    }
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 2));
    assertThrows(IOException.class, () -> VectorFiles.readFvecs(f));
    IOException e = assertThrows(IOException.class, () -> VectorFiles.shapeOf(f));
    assertTrue(e.getMessage().contains("not an .fvecs file"), e.getMessage());
  }

  @Test
  void generatedVectorsAreUnitLengthAndTheSameForTheSameSeed() {
    ClusteredVectors a = new ClusteredVectors(24, 5, 7);
    ClusteredVectors b = new ClusteredVectors(24, 5, 7);
    for (long i = 0; i < 50; i++) {
      float[] v = a.vector(ClusteredVectors.Stream.BASE, i);
      assertArrayEquals(v, b.vector(ClusteredVectors.Stream.BASE, i));
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertEquals(1.0, norm, 1e-5);
    }
    assertTrue(!Arrays.equals(a.vector(ClusteredVectors.Stream.BASE, 3), a.vector(ClusteredVectors.Stream.QUERIES, 3)));
    assertTrue(!Arrays.equals(a.vector(ClusteredVectors.Stream.BASE, 3), new ClusteredVectors(24, 5, 8)
        .vector(ClusteredVectors.Stream.BASE, 3)));
  }

  @Test
  void generatedDataIsClustered() {
    // A vector's nearest neighbour is far closer than a random other vector: what makes it image-like.
    ClusteredVectors gen = new ClusteredVectors(64, 4, 1);
    List<float[]> vs = IntStream.range(0, 200).mapToObj(i -> gen.vector(ClusteredVectors.Stream.BASE, i)).toList();
    double nearest = 0;
    double mean = 0;
    for (int i = 0; i < 20; i++) {
      double best = -2;
      for (int j = 0; j < vs.size(); j++) {
        if (j != i) {
          double d = ExactNeighbours.exactDot(vs.get(i), vs.get(j));
          best = Math.max(best, d);
          mean += d / (vs.size() - 1) / 20;
        }
      }
      nearest += best / 20;
    }
    assertTrue(nearest > 0.8 && mean < 0.5, "nearest " + nearest + ", mean " + mean);
  }

  @Test
  void generatedTruthIsTheExactNeighboursByDotProduct() throws IOException {
    KnnDataset set = KnnDataset.generate(dir.resolve("set"), 3000, 16, 25, 3, 2, line -> {});
    List<float[]> base = VectorFiles.readFvecs(set.base());
    List<float[]> queries = VectorFiles.readFvecs(set.queries());
    List<int[]> truth = VectorFiles.readIvecs(set.truth());
    assertEquals(3000, base.size());
    assertEquals(25, truth.size());
    for (int q = 0; q < queries.size(); q++) {
      float[] query = queries.get(q);
      List<Integer> ids = new ArrayList<>(IntStream.range(0, base.size()).boxed().toList());
      ids.sort(Comparator.<Integer>comparingDouble(i -> -ExactNeighbours.exactDot(query, base.get(i)))
          .thenComparing(i -> i));
      assertArrayEquals(ids.subList(0, KnnDataset.TRUTH_DEPTH).stream().mapToInt(Integer::intValue).toArray(),
          truth.get(q), "query " + q);
    }
    // The same seed writes the same bytes, whatever the number of threads.
    KnnDataset again = KnnDataset.generate(dir.resolve("again"), 3000, 16, 25, 3, 1, line -> {});
    assertArrayEquals(Files.readAllBytes(set.base()), Files.readAllBytes(again.base()));
    assertArrayEquals(Files.readAllBytes(set.truth()), Files.readAllBytes(again.truth()));
  }

  @Test
  void recallCountsTrueNeighboursAmongTheFirstK() {
    List<int[]> truth = List.of(new int[] {1, 2, 3, 4}, new int[] {5, 6, 7, 8});
    assertEquals(1.0, Recall.at(2, List.of(new int[] {2, 1}, new int[] {5, 6}), truth));
    assertEquals(0.5, Recall.at(2, List.of(new int[] {1, 9}, new int[] {6, 3}), truth));
    assertEquals(0.25, Recall.at(2, List.of(new int[] {3}, new int[] {5}), truth), "a result past k does not count");
    assertEquals(0.25, Recall.at(2, List.of(new int[] {}, new int[] {6}), truth), "a short result list counts as misses");
    assertThrows(IllegalArgumentException.class, () -> Recall.at(5, List.of(new int[] {1}), List.of(new int[] {1})));
  }
}
