package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unsigned-byte scorers give exactly the float scorers' values (both sums are exact for pixel data) for
 * every metric and length, from heap and native memory. Run again by the build in JVMs limited to 128-,
 * 256- and 512-bit vectors and in one without the Vector API (see shared/pom.xml), so the values are the
 * same on every machine.
 */
class ByteScorerTest {

  /**
   * Lengths around every vector and block boundary (the scalar kernels' chunks of 4,096 too), and the pixels
   * descriptor's at 224 and 448.
   */
  private static final int[] LENGTHS = {1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000, 4095, 4096, 4097,
      8191, 8192, 8193, 3 * 224 * 224, 3 * 448 * 448};

  @ParameterizedTest
  @EnumSource(Metric.class)
  void byteScoresEqualFloatScoresExactly(Metric metric) {
    Random rnd = new Random(metric.ordinal());
    for (int n : LENGTHS) {
      float[] query = pixels(rnd, n);
      Metric.Scorer floats = metric.scorer(query);
      Metric.ByteScorer bytes = metric.byteScorer(query);
      for (int c = 0; c < 3; c++) {
        float[] candidate = c == 0 ? query.clone() : pixels(rnd, n);
        assertEquals(floats.score(candidate), bytes.score(heap(candidate)), 0, metric + " at " + n);
      }
    }
  }

  @Test
  void extremesDoNotOverflow() {
    int n = 3 * 448 * 448;
    float[] black = new float[n];
    float[] white = new float[n];
    java.util.Arrays.fill(white, 255);
    assertEquals(255.0 * n, Metric.L1.byteScorer(black).score(heap(white)), 0);
    assertEquals(Math.sqrt(65025.0 * n), Metric.L2.byteScorer(black).score(heap(white)), 0);
    assertEquals(65025.0 * n, Metric.DOT.byteScorer(white).score(heap(white)), 0);
    assertEquals(1.0, Metric.COSINE.byteScorer(white).score(heap(white)), 0);
    // constant vectors have no correlation
    assertEquals(0.0, Metric.CORRELATION.byteScorer(white).score(heap(white)), 0);
  }

  @Test
  void candidatesAreReadInPlaceFromNativeMemory() {
    Random rnd = new Random(7);
    float[] query = pixels(rnd, 1001);
    float[] candidate = pixels(rnd, 1001);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment offHeap = arena.allocate(candidate.length + 5);
      MemorySegment.copy(heap(candidate), 0, offHeap, 5, candidate.length);
      MemorySegment slice = offHeap.asSlice(5, candidate.length); // not aligned, as a mapped file may be
      for (Metric m : Metric.values()) {
        assertEquals(m.scorer(query).score(candidate), m.byteScorer(query).score(slice), 0, m.id());
      }
    }
  }

  @Test
  void simdAndScalarKernelsAgree() {
    ByteKernels scalar = new ScalarByteKernels();
    ByteKernels here = VectorMath.BYTE_KERNELS;
    Random rnd = new Random(3);
    for (int n : LENGTHS) {
      MemorySegment a = heap(pixels(rnd, n)), b = heap(pixels(rnd, n));
      assertEquals(scalar.l1(a, b, n), here.l1(a, b, n));
      assertEquals(scalar.squaredL2(a, b, n), here.squaredL2(a, b, n));
      assertEquals(scalar.dot(a, b, n), here.dot(a, b, n));
      long[] s = new long[3], v = new long[3];
      scalar.moments(a, b, n, s);
      here.moments(a, b, n, v);
      assertEquals(java.util.Arrays.toString(s), java.util.Arrays.toString(v));
    }
  }

  @Test
  void queriesMustBeWholeNumbersFrom0To255() {
    assertThrows(IllegalArgumentException.class, () -> Metric.L1.byteScorer(new float[] {1, 256}));
    assertThrows(IllegalArgumentException.class, () -> Metric.L1.byteScorer(new float[] {-1}));
    var e = assertThrows(IllegalArgumentException.class, () -> Metric.L1.byteScorer(new float[] {0.5f}));
    assertTrue(e.getMessage().contains("element 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Metric.L1.byteScorer(new float[] {Float.NaN}));
    var mismatch = assertThrows(IllegalArgumentException.class,
        () -> Metric.L2.byteScorer(new float[3]).score(heap(new float[4])));
    assertTrue(mismatch.getMessage().contains("3 vs 4"), mismatch.getMessage());
  }

  private static float[] pixels(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextInt(256);
    }
    return v;
  }

  private static MemorySegment heap(float[] v) {
    MemorySegment s = MemorySegment.ofArray(VectorEncoding.toUnsignedBytes(v));
    assertEquals(v.length, s.byteSize());
    assertEquals((int) v[0], s.get(ValueLayout.JAVA_BYTE, 0) & 0xFF);
    return s;
  }
}
