package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every metric against hand-computed values and against a double-precision textbook reference kept here
 * (independent of {@link VectorMath}), to the precision {@link Metric} promises. The build runs this class
 * once more in JVMs limited to 128-, 256- and 512-bit vectors and in one without the Vector API (see
 * shared/pom.xml): every assertion holds in each.
 */
class MetricTest {

  private static final float[] A = {1, 2, 3};
  private static final float[] B = {2, 0, 3};

  @Test
  void theKernelsAreTheOnesThisForkWasStartedFor() {
    // The default run and the width forks add jdk.incubator.vector; the scalar fork leaves it out.
    boolean expectSimd = !"scalar".equals(System.getProperty("imgsearch.kernels"));
    assertEquals(expectSimd, VectorMath.SIMD, "kernels in use: " + (VectorMath.SIMD ? "SIMD" : "scalar"));
    System.out.println("MetricTest: " + (VectorMath.SIMD ? "SIMD kernels" : "scalar kernels")
        + ", the JVM's MaxVectorSize " + maxVectorSize() + " bytes on " + System.getProperty("os.arch"));
  }

  /** The vector size this JVM really uses: the -XX:MaxVectorSize asked for, capped at what the CPU has. */
  private static String maxVectorSize() {
    try {
      return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption("MaxVectorSize").getValue();
    } catch (RuntimeException notHotSpot) {
      return "unknown";
    }
  }

  @Test
  void l1ByHand() {
    assertEquals(3.0, Metric.L1.score(A, B), 0);
    assertEquals(0.0, Metric.L1.score(A, A), 0);
    assertEquals(3.0, new ScalarKernels().l1(A, B), 0);
  }

  @Test
  void l2ByHand() {
    // (1-2)^2 + (2-0)^2 + 0 = 5
    assertEquals(Math.sqrt(5), Metric.L2.score(A, B), 1e-12);
    assertEquals(5.0, new ScalarKernels().squaredL2(A, B), 0);
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
    assertEquals(1.0 / 3, Metric.CHI_SQUARED.score(h1, h2), 1e-15);
    assertEquals(1.0 / 3, new ScalarKernels().chiSquared(h1, h2), 1e-15);
    assertEquals(0.0, Metric.CHI_SQUARED.score(h1, h1), 0);
    assertEquals(0.0, Metric.CHI_SQUARED.score(new float[4], new float[4]), 0);
    // disjoint histograms: every bin gives a^2/a, total 1/2 * 2 = 1
    assertEquals(1.0, Metric.CHI_SQUARED.score(new float[] {1, 0}, new float[] {0, 1}), 0);
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
      assertEquals(expected, metric.score(a, b), pixelTolerance(metric, expected), metric + " n=" + n);
      assertEquals(metric.score(a, b), metric.scorer(a).score(b), 0, metric + " n=" + n);
    }
  }

  /**
   * What Metric promises on 0..255 data: L1, L2, dot and cosine are the textbook value to the last bit;
   * correlation differs only by rounding (the reference's two-pass mean rounds too); chi-squared only by
   * the order its double terms are added in.
   */
  private static double pixelTolerance(Metric metric, double expected) {
    return switch (metric) {
      case L1, L2, DOT, COSINE -> 0;
      case CORRELATION -> 1e-14;
      case CHI_SQUARED -> Math.abs(expected) * 1e-13;
    };
  }

  @Test
  void pixelDistancesAreExact() {
    Random random = new Random(11);
    float[] a = pixels(random, 150_528);
    float[] b = pixels(random, 150_528);
    assertEquals(reference(Metric.L1, a, b), Metric.L1.score(a, b), 0);
    assertEquals(reference(Metric.DOT, a, b), Metric.DOT.score(a, b), 0);
    assertEquals(reference(Metric.L2, a, b), Metric.L2.score(a, b), 0);
    assertEquals(reference(Metric.COSINE, a, b), Metric.COSINE.score(a, b), 0);
    assertEquals(reference(Metric.L1, a, b), Metric.L1.scorer(a).score(b), 0);
  }

  @Test
  void correlationOf448PixelVectorsIsExactBeyondDoublePrecision() {
    // 448 x 448 x 3: n * sum(ab) passes 2^53, so only integer arithmetic keeps the numerator exact
    Random random = new Random(13);
    float[] a = pixels(random, 448 * 448 * 3);
    float[] b = a.clone();
    for (int i = 0; i < b.length; i += 3) {
      b[i] = 255 - b[i];
    }
    BigDecimal exact = exactCorrelation(a, b);
    assertEquals(exact.doubleValue(), Metric.CORRELATION.score(a, b), 4 * Math.ulp(exact.doubleValue()));
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
      // is measured on that scale (a correlation near 0 is a small difference of large sums); chi-squared
      // adds double terms
      double tolerance = metric == Metric.CHI_SQUARED ? Math.abs(expected) * 1e-13
          : metric.higherIsBetter() && metric != Metric.DOT ? 1e-6 : Math.abs(expected) * 1e-6;
      assertEquals(expected, metric.score(a, b), tolerance, metric + " n=" + n);
      assertEquals(metric.score(a, b), metric.scorer(a).score(b), 0, metric + " n=" + n);
    }
  }

  @Test
  void simdAndScalarKernelsGiveTheSameBits() {
    assumeTrue(VectorMath.SIMD, "this JVM has no Vector API: only the scalar kernels exist here");
    VectorKernels simd = VectorMath.KERNELS;
    VectorKernels scalar = new ScalarKernels();
    Random random = new Random(17);
    for (int n : LENGTHS) {
      for (int kind = 0; kind < 3; kind++) {
        float[] a = kind == 0 ? pixels(random, n) : kind == 1 ? positive(random, n) : signed(random, n);
        float[] b = kind == 0 ? pixels(random, n) : kind == 1 ? positive(random, n) : signed(random, n);
        String what = "n=" + n + " kind=" + kind;
        assertEquals(scalar.l1(a, b), simd.l1(a, b), 0, "l1 " + what);
        assertEquals(scalar.squaredL2(a, b), simd.squaredL2(a, b), 0, "l2 " + what);
        assertEquals(scalar.dot(a, b), simd.dot(a, b), 0, "dot " + what);
        assertArrayEquals(scalar.sumAndSquares(a), simd.sumAndSquares(a), 0, "sumAndSquares " + what);
        assertArrayEquals(scalar.dotAndSquares(a, b), simd.dotAndSquares(a, b), 0, "dotAndSquares " + what);
        assertArrayEquals(scalar.crossMoments(a, b), simd.crossMoments(a, b), 0, "crossMoments " + what);
        assertEquals(scalar.chiSquared(a, b), simd.chiSquared(a, b), 0, "chi2 " + what);
      }
    }
  }

  /**
   * The bits every machine must produce for a fixed set of vectors: one checksum over every metric's
   * scores on pixel, positive and signed data. The kernels fix their order of operations, so this value
   * is the same on every CPU and JVM; if it changes, the order changed and scores stored or compared
   * across machines no longer agree. (It was taken from a run of these kernels, not computed by hand.)
   */
  @Test
  void scoresHaveTheSameBitsOnEveryMachine() {
    Random random = new Random(19);
    long checksum = 0;
    for (int n : LENGTHS) {
      for (int kind = 0; kind < 3; kind++) {
        float[] a = kind == 0 ? pixels(random, n) : kind == 1 ? positive(random, n) : signed(random, n);
        float[] b = kind == 0 ? pixels(random, n) : kind == 1 ? positive(random, n) : signed(random, n);
        for (Metric metric : Metric.values()) {
          checksum = 31 * checksum + Double.doubleToLongBits(metric.score(a, b));
        }
      }
    }
    assertEquals(GOLDEN_CHECKSUM, checksum, "checksum " + checksum);
  }

  private static final long GOLDEN_CHECKSUM = 4003416563354806416L;

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

  private static float[] signed(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** Pearson correlation of integer-valued vectors in exact arithmetic, rounded once at the end. */
  private static BigDecimal exactCorrelation(float[] a, float[] b) {
    long n = a.length, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < a.length; i++) {
      long x = (long) a[i], y = (long) b[i];
      sa += x;
      sb += y;
      saa += x * x;
      sbb += y * y;
      sab += x * y;
    }
    BigInteger bn = BigInteger.valueOf(n);
    BigInteger cov = bn.multiply(BigInteger.valueOf(sab)).subtract(BigInteger.valueOf(sa).multiply(BigInteger.valueOf(sb)));
    BigInteger va = bn.multiply(BigInteger.valueOf(saa)).subtract(BigInteger.valueOf(sa).multiply(BigInteger.valueOf(sa)));
    BigInteger vb = bn.multiply(BigInteger.valueOf(sbb)).subtract(BigInteger.valueOf(sb).multiply(BigInteger.valueOf(sb)));
    MathContext mc = new MathContext(40);
    return new BigDecimal(cov).divide(new BigDecimal(va.multiply(vb)).sqrt(mc), mc);
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
