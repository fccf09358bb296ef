package imgsearch.descriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The arithmetic behind {@link Metric}: the sums of {@link VectorKernels} (SIMD when the
 * {@code jdk.incubator.vector} module is present, plain loops otherwise, the same bits either way) and
 * the formulas that turn them into scores.
 */
final class VectorMath {
  private VectorMath() {}

  /** The kernels of this JVM. Stateless. */
  static final VectorKernels KERNELS = VectorKernels.forThisJvm();

  /** True when the SIMD kernels are used. */
  static final boolean SIMD = KERNELS instanceof SimdKernels;

  /** The kernels of unsigned-byte vectors for this JVM. Stateless. */
  static final ByteKernels BYTE_KERNELS = ByteKernels.forThisJvm();

  static double score(Metric metric, float[] a, float[] b) {
    sameLength(a, b);
    VectorKernels k = KERNELS;
    return switch (metric) {
      case L1 -> k.l1(a, b);
      case L2 -> Math.sqrt(k.squaredL2(a, b));
      case DOT -> k.dot(a, b);
      case CHI_SQUARED -> k.chiSquared(a, b);
      case COSINE -> {
        double[] abBb = k.dotAndSquares(a, b);
        yield cosine(abBb[0], k.sumAndSquares(a)[1], abBb[1]);
      }
      case CORRELATION -> {
        double[] aSums = k.sumAndSquares(a);
        double[] m = k.crossMoments(a, b);
        yield correlation(a.length, aSums[0], aSums[1], m[0], m[1], m[2]);
      }
    };
  }

  /**
   * A scorer for one query: the query is copied, and what depends on it alone (its norm for cosine, its
   * sum and sum of squares for correlation) is computed once, so each candidate costs one pass. Gives the
   * same bits as {@link #score}.
   */
  static Metric.Scorer scorer(Metric metric, float[] query) {
    float[] q = query.clone();
    VectorKernels k = KERNELS;
    return switch (metric) {
      case L1 -> c -> k.l1(q, sameLength(q, c));
      case L2 -> c -> Math.sqrt(k.squaredL2(q, sameLength(q, c)));
      case DOT -> c -> k.dot(q, sameLength(q, c));
      case CHI_SQUARED -> c -> k.chiSquared(q, sameLength(q, c));
      case COSINE -> {
        double qq = k.sumAndSquares(q)[1];
        yield c -> {
          double[] m = k.dotAndSquares(q, sameLength(q, c));
          return cosine(m[0], qq, m[1]);
        };
      }
      case CORRELATION -> {
        double[] qs = k.sumAndSquares(q);
        yield c -> {
          double[] m = k.crossMoments(q, sameLength(q, c));
          return correlation(q.length, qs[0], qs[1], m[0], m[1], m[2]);
        };
      }
    };
  }

  /**
   * A scorer of unsigned-byte candidates for one query of whole numbers 0..255: the integer sums are
   * exact, so every score equals {@link #score} of the same vectors as floats (whose sums are exact too).
   */
  static Metric.ByteScorer byteScorer(Metric metric, float[] query) {
    byte[] bytes = VectorEncoding.toUnsignedBytes(query);
    // Off the heap, like the candidates the index maps: SIMD loads run several times slower when one
    // kernel sees both heap and native segments.
    MemorySegment q = Arena.ofAuto().allocate(Math.max(1, bytes.length)).copyFrom(MemorySegment.ofArray(bytes))
        .asSlice(0, bytes.length);
    int n = bytes.length;
    ByteKernels k = BYTE_KERNELS;
    return switch (metric) {
      case L1 -> c -> k.l1(q, sameLength(n, c), n);
      case L2 -> c -> Math.sqrt(k.squaredL2(q, sameLength(n, c), n));
      case DOT -> c -> k.dot(q, sameLength(n, c), n);
      case CHI_SQUARED -> c -> k.chiSquared(q, sameLength(n, c), n);
      case COSINE -> {
        double qq = k.dot(q, q, n);
        yield c -> {
          long[] m = new long[3];
          k.moments(q, sameLength(n, c), n, m);
          return cosine(m[2], qq, m[1]);
        };
      }
      case CORRELATION -> {
        long[] qm = new long[3];
        k.moments(q, q, n, qm);
        yield c -> {
          long[] m = new long[3];
          k.moments(q, sameLength(n, c), n, m);
          return correlation(n, qm[0], qm[1], m[0], m[1], m[2]);
        };
      }
    };
  }

  private static MemorySegment sameLength(int n, MemorySegment candidate) {
    if (candidate.byteSize() != n) {
      throw new IllegalArgumentException("vectors differ in length: " + n + " vs " + candidate.byteSize());
    }
    return candidate;
  }

  static float[] sameLength(float[] query, float[] candidate) {
    if (query.length != candidate.length) {
      throw new IllegalArgumentException("vectors differ in length: " + query.length + " vs " + candidate.length);
    }
    return candidate;
  }

  /** Cosine from its three dot products; 0 when either vector is all zeros. */
  static double cosine(double ab, double aa, double bb) {
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  /**
   * Pearson correlation from raw moments: (n sum ab - sum a sum b) / sqrt((n sum aa - (sum a)^2)(n sum bb -
   * (sum b)^2)); 0 when either vector is constant. When every sum is a whole number (pixel vectors, whose
   * sums the kernels compute exactly) the numerator and both variances are computed in exact integer
   * arithmetic, so the result is the exact value rounded at the last three steps, also for 448 x 448 pixel
   * vectors whose products no longer fit a double's 53 bits. Otherwise the one-pass form in double loses
   * digits only for data whose mean dwarfs its spread, which no descriptor here produces.
   */
  static double correlation(int n, double sa, double saa, double sb, double sbb, double sab) {
    double cov, varA, varB;
    if (isWhole(sa) && isWhole(saa) && isWhole(sb) && isWhole(sbb) && isWhole(sab)) {
      try {
        cov = exactCentred(n, sab, sa, sb);
        varA = exactCentred(n, saa, sa, sa);
        varB = exactCentred(n, sbb, sb, sb);
      } catch (ArithmeticException overflow) {
        return correlationInDouble(n, sa, saa, sb, sbb, sab);
      }
    } else {
      return correlationInDouble(n, sa, saa, sb, sbb, sab);
    }
    return clampedCorrelation(cov, varA, varB);
  }

  private static double correlationInDouble(int n, double sa, double saa, double sb, double sbb, double sab) {
    return clampedCorrelation(n * sab - sa * sb, n * saa - sa * sa, n * sbb - sb * sb);
  }

  private static double clampedCorrelation(double cov, double varA, double varB) {
    if (varA <= 0 || varB <= 0) {
      return 0;
    }
    double r = cov / Math.sqrt(varA * varB);
    return Math.max(-1, Math.min(1, r));
  }

  /** n * sxy - sx * sy in long arithmetic, converted once; throws when it does not fit. */
  private static double exactCentred(int n, double sxy, double sx, double sy) {
    return Math.subtractExact(Math.multiplyExact(n, (long) sxy), Math.multiplyExact((long) sx, (long) sy));
  }

  /** True for an integer that a double holds exactly (below 2^53 in magnitude). */
  private static boolean isWhole(double v) {
    return v == Math.rint(v) && Math.abs(v) < 0x1p53;
  }
}
