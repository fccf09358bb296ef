package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every metric against hand-computed values, and the SIMD kernels against a double-precision textbook
 * reference kept here (independent of {@link VectorMath}).
 */
class MetricTest {

  private static final float[] A = {1, 2, 3};
  private static final float[] B = {2, 0, 3};

  @Test
  void simdKernelsAreInUseInTests() {
    // surefire adds jdk.incubator.vector; without it the agreement tests below would only test the scalar path
    assertTrue(VectorMath.SIMD, "run the tests with --add-modules jdk.incubator.vector (surefire does)");
  }

  @Test
  void l1ByHand() {
    assertEquals(3.0, Metric.L1.score(A, B), 0);
    assertEquals(0.0, Metric.L1.score(A, A), 0);
    assertEquals(3.0, VectorMath.ScalarMath.l1(A, B), 0);
  }

  @Test
  void l2ByHand() {
    // (1-2)^2 + (2-0)^2 + 0 = 5
    assertEquals(Math.sqrt(5), Metric.L2.score(A, B), 1e-12);
    assertEquals(5.0, VectorMath.ScalarMath.squaredL2(A, B), 0);
  }

  @Test
  void dotByHand() {
    assertEquals(11.0, Metric.DOT.score(A, B), 0);
    assertEquals(-1.0, Metric.DOT.score(new float[] {1, 0}, new float[] {-1, 5}), 0);
  }

  @Test
  void cosineByHand() {
    // 11 / (sqrt(14) * sqrt(13))
    assertEquals(11 / Math.sqrt(14 * 13), Metric.COSINE.score(A, B), 1e-12);
    assertEquals(0.0, Metric.COSINE.score(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
    assertEquals(1.0, Metric.COSINE.score(A, new float[] {2, 4, 6}), 1e-12);
    assertEquals(-1.0, Metric.COSINE.score(A, new float[] {-1, -2, -3}), 1e-12);
    // a zero vector has no direction: defined as 0, not NaN
    assertEquals(0.0, Metric.COSINE.score(A, new float[3]), 0);
  }

  @Test
  void correlationByHand() {
    assertEquals(1.0, Metric.CORRELATION.score(A, new float[] {2, 4, 6}), 1e-12);
    assertEquals(-1.0, Metric.CORRELATION.score(A, new float[] {3, 2, 1}), 1e-12);
    assertEquals(-1.0, Metric.CORRELATION.score(new float[] {0, 255, 0, 255}, new float[] {10, 5, 10, 5}), 1e-12);
    // means 2 and 5/3: centred (-1,0,1) and (1/3,-5/3,4/3): cov 1, var 2 and 42/9 -> 1/sqrt(2*42/9)
    assertEquals(1 / Math.sqrt(2 * 42.0 / 9), Metric.CORRELATION.score(A, B), 1e-12);
    // uncorrelated
    assertEquals(0.0, Metric.CORRELATION.score(new float[] {1, -1, 1, -1}, new float[] {1, 1, -1, -1}), 1e-12);
    // a constant vector has no variance: defined as 0
    assertEquals(0.0, Metric.CORRELATION.score(A, new float[] {7, 7, 7}), 0);
  }

  @Test
  void chiSquaredByHand() {
    float[] h1 = {0.5f, 0.5f, 0, 0};
    float[] h2 = {0.25f, 0.25f, 0.5f, 0};
    // 1/2 * (0.0625/0.75 + 0.0625/0.75 + 0.25/0.5); the last bin (0 + 0) is skipped, not NaN
    assertEquals(1.0 / 3, Metric.CHI_SQUARED.score(h1, h2), 1e-7);
    assertEquals(1.0 / 3, VectorMath.ScalarMath.chiSquared(h1, h2), 1e-15);
    assertEquals(0.0, Metric.CHI_SQUARED.score(h1, h1), 0);
    assertEquals(0.0, Metric.CHI_SQUARED.score(new float[4], new float[4]), 0);
    // disjoint histograms: every bin gives a^2/a, total 1/2 * 2 = 1
    assertEquals(1.0, Metric.CHI_SQUARED.score(new float[] {1, 0}, new float[] {0, 1}), 1e-7);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void lengthMismatchIsRefused(Metric metric) {
    var e = assertThrows(IllegalArgumentException.class, () -> metric.score(A, new float[2]));
    assertTrue(e.getMessage().contains("3 vs 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> metric.scorer(A).score(new float[4]));
  }

  @Test
  void directionAndParsing() {
    assertTrue(Metric.L1.better(1, 2));
    assertTrue(Metric.COSINE.better(0.9, 0.1));
    assertEquals(Metric.CHI_SQUARED, Metric.fromId("CHI2"));
    assertEquals(Metric.CHI_SQUARED, Metric.fromId("chi_squared"));
    assertThrows(IllegalArgumentException.class, () -> Metric.fromId("hamming"));
  }

  /** Lengths around the SIMD step and block boundaries, plus the 224 x 224 x 3 pixel vector. */
  private static final int[] LENGTHS = {1, 3, 15, 16, 17, 63, 64, 65, 1023, 1024, 1025, 4099, 150_528};

  @ParameterizedTest
  @EnumSource(Metric.class)
  void pixelVectorsGiveTheTextbookValue(Metric metric) {
    Random random = new Random(7);
    for (int n : LENGTHS) {
      float[] a = pixels(random, n);
      float[] b = pixels(random, n);
      double expected = reference(metric, a, b);
      // integer-valued sums are exact in the SIMD kernels: only the final division/sqrt may round
      // (chi-squared divides in every term, so it gets float precision)
      double tolerance = Math.abs(expected) * (metric == Metric.CHI_SQUARED ? 1e-6 : 1e-13);
      assertEquals(expected, metric.score(a, b), tolerance, metric + " n=" + n);
      assertEquals(metric.score(a, b), metric.scorer(a).score(b), tolerance, metric + " n=" + n);
    }
  }

  @Test
  void pixelDistancesAreExact() {
    Random random = new Random(11);
    float[] a = pixels(random, 150_528);
    float[] b = pixels(random, 150_528);
    assertEquals(reference(Metric.L1, a, b), Metric.L1.score(a, b), 0);
    assertEquals(reference(Metric.DOT, a, b), Metric.DOT.score(a, b), 0);
    assertEquals(reference(Metric.L2, a, b), Metric.L2.score(a, b), 0);
    assertEquals(reference(Metric.L1, a, b), Metric.L1.scorer(a).score(b), 0);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void realValuedVectorsAgreeWithTheReference(Metric metric) {
    Random random = new Random(3);
    for (int n : LENGTHS) {
      float[] a = positive(random, n);
      float[] b = positive(random, n);
      double expected = reference(metric, a, b);
      // float lanes: about 1e-7 of the summed magnitudes; similarities live in [-1, 1], so their error
      // is measured on that scale (a correlation near 0 is a small difference of large sums)
      double tolerance = metric.higherIsBetter() && metric != Metric.DOT ? 1e-6 : Math.abs(expected) * 1e-6;
      assertEquals(expected, metric.score(a, b), tolerance, metric + " n=" + n);
      assertEquals(expected, metric.scorer(a).score(b), tolerance, metric + " n=" + n);
      assertEquals(expected, scalar(metric, a, b), Math.abs(expected) * 1e-12 + 1e-12, "scalar " + metric + " n=" + n);
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void nearTiesOnPixelsRankAsTheDefinitionDoes(Metric metric) {
    // 40 candidates that differ from one base by a few grey levels in a few places: distances differ by
    // a few units out of millions, correlations by ~1e-7
    Random random = new Random(5);
    int n = 150_528;
    float[] query = pixels(random, n);
    float[] base = pixels(random, n);
    float[][] candidates = new float[40][];
    for (int c = 0; c < candidates.length; c++) {
      float[] v = base.clone();
      for (int k = 0; k < 1 + c % 5; k++) {
        int i = random.nextInt(n);
        v[i] = Math.max(0, Math.min(255, v[i] + random.nextInt(7) - 3));
      }
      candidates[c] = v;
    }
    assertArrayEquals(ranking(metric, query, candidates, true), ranking(metric, query, candidates, false), metric.id());
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void nearTiesOnRealValuesRankAsTheDefinitionDoes(Metric metric) {
    Random random = new Random(9);
    int n = 1440;
    float[] query = positive(random, n);
    float[] base = positive(random, n);
    float[][] candidates = new float[30][];
    for (int c = 0; c < candidates.length; c++) {
      float[] v = base.clone();
      // one component moved by 1%: a relative change of ~1e-5 in the score, far above float rounding
      int i = random.nextInt(n);
      v[i] *= 1 + 0.01f * (c + 1);
      candidates[c] = v;
    }
    assertArrayEquals(ranking(metric, query, candidates, true), ranking(metric, query, candidates, false), metric.id());
  }

  private static int[] ranking(Metric metric, float[] query, float[][] candidates, boolean simd) {
    Metric.Scorer scorer = metric.scorer(query);
    double[] s = new double[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      s[c] = simd ? scorer.score(candidates[c]) : reference(metric, query, candidates[c]);
    }
    Comparator<Integer> order = Comparator.comparingDouble(c -> metric.higherIsBetter() ? -s[c] : s[c]);
    return IntStream.range(0, candidates.length).boxed().sorted(order.thenComparing(c -> c)).mapToInt(c -> c).toArray();
  }

  private static double scalar(Metric metric, float[] a, float[] b) {
    return switch (metric) {
      case L1 -> VectorMath.ScalarMath.l1(a, b);
      case L2 -> Math.sqrt(VectorMath.ScalarMath.squaredL2(a, b));
      case DOT -> VectorMath.ScalarMath.dot(a, b);
      case COSINE -> VectorMath.ScalarMath.cosine(a, b);
      case CORRELATION -> VectorMath.ScalarMath.correlation(a, b);
      case CHI_SQUARED -> VectorMath.ScalarMath.chiSquared(a, b);
    };
  }

  /** The textbook definitions, two-pass and in double: the reference every kernel is held to. */
  static double reference(Metric metric, float[] a, float[] b) {
    int n = a.length;
    double l1 = 0, l2 = 0, dot = 0, aa = 0, bb = 0, chi = 0, ma = 0, mb = 0;
    for (int i = 0; i < n; i++) {
      double x = a[i], y = b[i];
      l1 += Math.abs(x - y);
      l2 += (x - y) * (x - y);
      dot += x * y;
      aa += x * x;
      bb += y * y;
      if (x + y != 0) {
        chi += (x - y) * (x - y) / (x + y);
      }
      ma += x;
      mb += y;
    }
    ma /= n;
    mb /= n;
    double cov = 0, va = 0, vb = 0;
    for (int i = 0; i < n; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) * (a[i] - ma);
      vb += (b[i] - mb) * (b[i] - mb);
    }
    return switch (metric) {
      case L1 -> l1;
      case L2 -> Math.sqrt(l2);
      case DOT -> dot;
      case COSINE -> aa == 0 || bb == 0 ? 0 : dot / Math.sqrt(aa * bb);
      case CORRELATION -> va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
      case CHI_SQUARED -> chi / 2;
    };
  }

  private static float[] pixels(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextInt(256);
    }
    return v;
  }

  private static float[] positive(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextFloat();
    }
    return v;
  }

  @Test
  void referenceMatchesHandValues() {
    assertEquals(3.0, reference(Metric.L1, A, B), 0);
    assertEquals(-1.0, reference(Metric.CORRELATION, A, new float[] {3, 2, 1}), 1e-12);
    assertEquals(1.0 / 3, reference(Metric.CHI_SQUARED, new float[] {0.5f, 0.5f, 0}, new float[] {0.25f, 0.25f, 0.5f}), 1e-15);
  }
}
