package imgsearch.descriptor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The arithmetic behind {@link Metric}. Uses the SIMD kernels of {@link Simd} when the
 * {@code jdk.incubator.vector} module is present (the launcher and the tests add it) and the scalar
 * textbook loops of {@link ScalarMath} otherwise, so a JVM started without the flag is slower, never broken.
 *
 * <p>Both paths keep rankings equal to the textbook definitions: the scalar loops sum in double; the SIMD
 * kernels sum float lanes over blocks of at most 1024 elements and add the block sums in double, which is
 * exact for integer-valued vectors such as raw pixels (0..255).
 */
final class VectorMath {
  private VectorMath() {}

  /** True when the SIMD kernels are used. */
  static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  static double l1(float[] a, float[] b) {
    return SIMD ? Simd.l1(a, b) : ScalarMath.l1(a, b);
  }

  static double squaredL2(float[] a, float[] b) {
    return SIMD ? Simd.squaredL2(a, b) : ScalarMath.squaredL2(a, b);
  }

  static double dot(float[] a, float[] b) {
    return SIMD ? Simd.dot(a, b) : ScalarMath.dot(a, b);
  }

  static double cosine(float[] a, float[] b) {
    if (!SIMD) {
      return ScalarMath.cosine(a, b);
    }
    double[] abBb = Simd.dotAndSquares(a, b);
    return cosine(abBb[0], Simd.dot(a, a), abBb[1]);
  }

  static double correlation(float[] a, float[] b) {
    if (!SIMD) {
      return ScalarMath.correlation(a, b);
    }
    double[] aSums = Simd.sumAndSquares(a);
    double[] m = Simd.crossMoments(a, b);
    return correlation(a.length, aSums[0], aSums[1], m[0], m[1], m[2]);
  }

  static double chiSquared(float[] a, float[] b) {
    return SIMD ? Simd.chiSquared(a, b) : ScalarMath.chiSquared(a, b);
  }

  /**
   * A scorer for one query: the query is copied, and what depends on it alone (its norm for cosine, its
   * sum and sum of squares for correlation) is computed once, so each candidate costs one pass.
   */
  static Metric.Scorer scorer(Metric metric, float[] query) {
    float[] q = query.clone();
    if (!SIMD) {
      return candidate -> metric.score(q, candidate);
    }
    return switch (metric) {
      case L1 -> c -> Simd.l1(q, sameLength(q, c));
      case L2 -> c -> Math.sqrt(Simd.squaredL2(q, sameLength(q, c)));
      case DOT -> c -> Simd.dot(q, sameLength(q, c));
      case CHI_SQUARED -> c -> Simd.chiSquared(q, sameLength(q, c));
      case COSINE -> {
        double qq = Simd.dot(q, q);
        yield c -> {
          double[] m = Simd.dotAndSquares(q, sameLength(q, c));
          return cosine(m[0], qq, m[1]);
        };
      }
      case CORRELATION -> {
        double[] qs = Simd.sumAndSquares(q);
        yield c -> {
          double[] m = Simd.crossMoments(q, sameLength(q, c));
          return correlation(q.length, qs[0], qs[1], m[0], m[1], m[2]);
        };
      }
    };
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
   * (sum b)^2)). For integer-valued vectors of up to ~150k elements of 0..255 every term is an exact
   * double, so the result equals the two-pass textbook value up to the final rounding. (For data whose
   * mean dwarfs its spread the one-pass form would lose digits; no descriptor here produces such data.)
   * 0 when either vector is constant.
   */
  static double correlation(int n, double sa, double saa, double sb, double sbb, double sab) {
    double varA = n * saa - sa * sa;
    double varB = n * sbb - sb * sb;
    if (varA <= 0 || varB <= 0) {
      return 0;
    }
    double r = (n * sab - sa * sb) / Math.sqrt(varA * varB);
    return Math.max(-1, Math.min(1, r));
  }

  /** Plain double-precision loops: the textbook definitions, used without the vector module. */
  static final class ScalarMath {
    private ScalarMath() {}

    static double l1(float[] a, float[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += Math.abs((double) a[i] - b[i]);
      }
      return sum;
    }

    static double squaredL2(float[] a, float[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        double d = (double) a[i] - b[i];
        sum += d * d;
      }
      return sum;
    }

    static double dot(float[] a, float[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += (double) a[i] * b[i];
      }
      return sum;
    }

    static double cosine(float[] a, float[] b) {
      double ab = 0, aa = 0, bb = 0;
      for (int i = 0; i < a.length; i++) {
        ab += (double) a[i] * b[i];
        aa += (double) a[i] * a[i];
        bb += (double) b[i] * b[i];
      }
      return VectorMath.cosine(ab, aa, bb);
    }

    static double correlation(float[] a, float[] b) {
      int n = a.length;
      double sa = 0, sb = 0;
      for (int i = 0; i < n; i++) {
        sa += a[i];
        sb += b[i];
      }
      double ma = sa / n, mb = sb / n, ab = 0, aa = 0, bb = 0;
      for (int i = 0; i < n; i++) {
        double da = a[i] - ma, db = b[i] - mb;
        ab += da * db;
        aa += da * da;
        bb += db * db;
      }
      return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    static double chiSquared(float[] a, float[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        double s = (double) a[i] + b[i];
        if (s != 0) {
          double d = (double) a[i] - b[i];
          sum += d * d / s;
        }
      }
      return 0.5 * sum;
    }
  }

  /**
   * SIMD kernels written with the Vector API; this class is only loaded when the
   * {@code jdk.incubator.vector} module is present.
   *
   * <p>Precision: each kernel sums float lanes over blocks of {@link #BLOCK} elements (several
   * accumulators per block hide the add latency), converts the block's lane sums to double and adds them
   * in double. With at most 1024 elements per block a lane never holds more than 256 terms, so sums of
   * integer terms below 65,536 (differences, squares and products of 0..255 pixel values) are exact and
   * the result equals the scalar double loop bit for bit. For other data the relative error stays
   * around 1e-7 of each block's sum.
   */
  static final class Simd {
    private Simd() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = F.withLanes(double.class);
    private static final int L = F.length();
    /** Elements per float block; a multiple of 4 lanes for every vector size up to 2048 bits. */
    static final int BLOCK = 1024;

    /** Sum of the lanes in double (the float lanes are converted first, so the sum loses nothing). */
    private static double sumLanes(FloatVector v) {
      DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
      return lo.add(hi).reduceLanes(VectorOperators.ADD);
    }

    static double l1(float[] a, float[] b) {
      int n = a.length, step = 4 * L, vecEnd = n - n % step, i = 0;
      double sum = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (; i < end; i += step) {
          s0 = s0.add(FloatVector.fromArray(F, a, i).sub(FloatVector.fromArray(F, b, i)).abs());
          s1 = s1.add(FloatVector.fromArray(F, a, i + L).sub(FloatVector.fromArray(F, b, i + L)).abs());
          s2 = s2.add(FloatVector.fromArray(F, a, i + 2 * L).sub(FloatVector.fromArray(F, b, i + 2 * L)).abs());
          s3 = s3.add(FloatVector.fromArray(F, a, i + 3 * L).sub(FloatVector.fromArray(F, b, i + 3 * L)).abs());
        }
        sum += sumLanes(s0.add(s1).add(s2.add(s3)));
      }
      for (; i < n; i++) {
        sum += Math.abs((double) a[i] - b[i]);
      }
      return sum;
    }

    static double squaredL2(float[] a, float[] b) {
      int n = a.length, step = 4 * L, vecEnd = n - n % step, i = 0;
      double sum = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (; i < end; i += step) {
          FloatVector d0 = FloatVector.fromArray(F, a, i).sub(FloatVector.fromArray(F, b, i));
          FloatVector d1 = FloatVector.fromArray(F, a, i + L).sub(FloatVector.fromArray(F, b, i + L));
          FloatVector d2 = FloatVector.fromArray(F, a, i + 2 * L).sub(FloatVector.fromArray(F, b, i + 2 * L));
          FloatVector d3 = FloatVector.fromArray(F, a, i + 3 * L).sub(FloatVector.fromArray(F, b, i + 3 * L));
          s0 = d0.fma(d0, s0);
          s1 = d1.fma(d1, s1);
          s2 = d2.fma(d2, s2);
          s3 = d3.fma(d3, s3);
        }
        sum += sumLanes(s0.add(s1).add(s2.add(s3)));
      }
      for (; i < n; i++) {
        double d = (double) a[i] - b[i];
        sum += d * d;
      }
      return sum;
    }

    static double dot(float[] a, float[] b) {
      int n = a.length, step = 4 * L, vecEnd = n - n % step, i = 0;
      double sum = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (; i < end; i += step) {
          s0 = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), s0);
          s1 = FloatVector.fromArray(F, a, i + L).fma(FloatVector.fromArray(F, b, i + L), s1);
          s2 = FloatVector.fromArray(F, a, i + 2 * L).fma(FloatVector.fromArray(F, b, i + 2 * L), s2);
          s3 = FloatVector.fromArray(F, a, i + 3 * L).fma(FloatVector.fromArray(F, b, i + 3 * L), s3);
        }
        sum += sumLanes(s0.add(s1).add(s2.add(s3)));
      }
      for (; i < n; i++) {
        sum += (double) a[i] * b[i];
      }
      return sum;
    }

    /** {sum a, sum a*a} in one pass. */
    static double[] sumAndSquares(float[] a) {
      int n = a.length, step = 2 * L, vecEnd = n - n % step, i = 0;
      double sa = 0, saa = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, q0 = s0, q1 = s0;
        for (; i < end; i += step) {
          FloatVector a0 = FloatVector.fromArray(F, a, i);
          FloatVector a1 = FloatVector.fromArray(F, a, i + L);
          s0 = s0.add(a0);
          s1 = s1.add(a1);
          q0 = a0.fma(a0, q0);
          q1 = a1.fma(a1, q1);
        }
        sa += sumLanes(s0.add(s1));
        saa += sumLanes(q0.add(q1));
      }
      for (; i < n; i++) {
        sa += a[i];
        saa += (double) a[i] * a[i];
      }
      return new double[] {sa, saa};
    }

    /** {sum a*b, sum b*b} in one pass: what cosine needs per candidate once the query norm is known. */
    static double[] dotAndSquares(float[] a, float[] b) {
      int n = a.length, step = 2 * L, vecEnd = n - n % step, i = 0;
      double sab = 0, sbb = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector p0 = FloatVector.zero(F), p1 = p0, q0 = p0, q1 = p0;
        for (; i < end; i += step) {
          FloatVector b0 = FloatVector.fromArray(F, b, i);
          FloatVector b1 = FloatVector.fromArray(F, b, i + L);
          p0 = FloatVector.fromArray(F, a, i).fma(b0, p0);
          p1 = FloatVector.fromArray(F, a, i + L).fma(b1, p1);
          q0 = b0.fma(b0, q0);
          q1 = b1.fma(b1, q1);
        }
        sab += sumLanes(p0.add(p1));
        sbb += sumLanes(q0.add(q1));
      }
      for (; i < n; i++) {
        sab += (double) a[i] * b[i];
        sbb += (double) b[i] * b[i];
      }
      return new double[] {sab, sbb};
    }

    /** {sum b, sum b*b, sum a*b} in one pass: what correlation needs per candidate. */
    static double[] crossMoments(float[] a, float[] b) {
      int n = a.length, step = 2 * L, vecEnd = n - n % step, i = 0;
      double sb = 0, sbb = 0, sab = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, q0 = s0, q1 = s0, p0 = s0, p1 = s0;
        for (; i < end; i += step) {
          FloatVector b0 = FloatVector.fromArray(F, b, i);
          FloatVector b1 = FloatVector.fromArray(F, b, i + L);
          s0 = s0.add(b0);
          s1 = s1.add(b1);
          q0 = b0.fma(b0, q0);
          q1 = b1.fma(b1, q1);
          p0 = FloatVector.fromArray(F, a, i).fma(b0, p0);
          p1 = FloatVector.fromArray(F, a, i + L).fma(b1, p1);
        }
        sb += sumLanes(s0.add(s1));
        sbb += sumLanes(q0.add(q1));
        sab += sumLanes(p0.add(p1));
      }
      for (; i < n; i++) {
        sb += b[i];
        sbb += (double) b[i] * b[i];
        sab += (double) a[i] * b[i];
      }
      return new double[] {sb, sbb, sab};
    }

    static double chiSquared(float[] a, float[] b) {
      int n = a.length, i = 0, vecEnd = F.loopBound(n);
      double sum = 0;
      while (i < vecEnd) {
        int end = Math.min(i + BLOCK, vecEnd);
        FloatVector acc = FloatVector.zero(F);
        for (; i < end; i += L) {
          FloatVector va = FloatVector.fromArray(F, a, i);
          FloatVector vb = FloatVector.fromArray(F, b, i);
          FloatVector s = va.add(vb);
          FloatVector d = va.sub(vb);
          // Terms with a + b = 0 are skipped, as in the definition; the masked add drops their NaN.
          VectorMask<Float> nonZero = s.compare(VectorOperators.NE, 0f);
          acc = acc.add(d.mul(d).div(s), nonZero);
        }
        sum += sumLanes(acc);
      }
      for (; i < n; i++) {
        double s = (double) a[i] + b[i];
        if (s != 0) {
          double d = (double) a[i] - b[i];
          sum += d * d / s;
        }
      }
      return 0.5 * sum;
    }
  }
}
