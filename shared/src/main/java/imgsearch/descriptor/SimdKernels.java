package imgsearch.descriptor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernels} with the Vector API; only loaded when the {@code jdk.incubator.vector} module is
 * present. Always 128-bit vectors, never the machine's preferred width: the lanes are the slots of the
 * fixed order that {@link ScalarKernels} follows too. Four accumulators per sum hide the add latency.
 */
final class SimdKernels implements VectorKernels {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
  /**
   * Chi-squared's double terms run on four 64-bit lanes where the CPU has 256-bit vectors; with
   * narrower ones (where widening floats and masking two double lanes is slow) the scalar loop, which
   * gives the same bits, is faster.
   */
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final boolean WIDE_DOUBLES = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  private static final ScalarKernels SCALAR = new ScalarKernels();
  private static final int L = 4;

  static {
    if (F.length() * 4 != FLOAT_SLOTS || D4.length() * 2 != DOUBLE_SLOTS) {
      throw new AssertionError("slot layout does not match the species");
    }
  }

  @Override
  public double l1(float[] a, float[] b) {
    int n = a.length, head = n - n % FLOAT_SLOTS, i = 0;
    double sum = 0;
    while (i < head) {
      int end = Math.min(i + BLOCK, head);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (; i < end; i += FLOAT_SLOTS) {
        s0 = s0.add(FloatVector.fromArray(F, a, i).sub(FloatVector.fromArray(F, b, i)).abs());
        s1 = s1.add(FloatVector.fromArray(F, a, i + L).sub(FloatVector.fromArray(F, b, i + L)).abs());
        s2 = s2.add(FloatVector.fromArray(F, a, i + 2 * L).sub(FloatVector.fromArray(F, b, i + 2 * L)).abs());
        s3 = s3.add(FloatVector.fromArray(F, a, i + 3 * L).sub(FloatVector.fromArray(F, b, i + 3 * L)).abs());
      }
      sum += blockSum(s0, s1, s2, s3);
    }
    for (; i < n; i++) {
      sum += Math.abs((double) a[i] - b[i]);
    }
    return sum;
  }

  @Override
  public double squaredL2(float[] a, float[] b) {
    int n = a.length, head = n - n % FLOAT_SLOTS, i = 0;
    double sum = 0;
    while (i < head) {
      int end = Math.min(i + BLOCK, head);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (; i < end; i += FLOAT_SLOTS) {
        FloatVector d0 = FloatVector.fromArray(F, a, i).sub(FloatVector.fromArray(F, b, i));
        FloatVector d1 = FloatVector.fromArray(F, a, i + L).sub(FloatVector.fromArray(F, b, i + L));
        FloatVector d2 = FloatVector.fromArray(F, a, i + 2 * L).sub(FloatVector.fromArray(F, b, i + 2 * L));
        FloatVector d3 = FloatVector.fromArray(F, a, i + 3 * L).sub(FloatVector.fromArray(F, b, i + 3 * L));
        s0 = d0.fma(d0, s0);
        s1 = d1.fma(d1, s1);
        s2 = d2.fma(d2, s2);
        s3 = d3.fma(d3, s3);
      }
      sum += blockSum(s0, s1, s2, s3);
    }
    for (; i < n; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  @Override
  public double dot(float[] a, float[] b) {
    int n = a.length, head = n - n % FLOAT_SLOTS, i = 0;
    double sum = 0;
    while (i < head) {
      int end = Math.min(i + BLOCK, head);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (; i < end; i += FLOAT_SLOTS) {
        s0 = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), s0);
        s1 = FloatVector.fromArray(F, a, i + L).fma(FloatVector.fromArray(F, b, i + L), s1);
        s2 = FloatVector.fromArray(F, a, i + 2 * L).fma(FloatVector.fromArray(F, b, i + 2 * L), s2);
        s3 = FloatVector.fromArray(F, a, i + 3 * L).fma(FloatVector.fromArray(F, b, i + 3 * L), s3);
      }
      sum += blockSum(s0, s1, s2, s3);
    }
    for (; i < n; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  @Override
  public double[] sumAndSquares(float[] a) {
    int n = a.length, head = n - n % FLOAT_SLOTS, i = 0;
    double sa = 0, saa = 0;
    while (i < head) {
      int end = Math.min(i + BLOCK, head);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
      for (; i < end; i += FLOAT_SLOTS) {
        FloatVector a0 = FloatVector.fromArray(F, a, i);
        FloatVector a1 = FloatVector.fromArray(F, a, i + L);
        FloatVector a2 = FloatVector.fromArray(F, a, i + 2 * L);
        FloatVector a3 = FloatVector.fromArray(F, a, i + 3 * L);
        s0 = s0.add(a0);
        s1 = s1.add(a1);
        s2 = s2.add(a2);
        s3 = s3.add(a3);
        q0 = a0.fma(a0, q0);
        q1 = a1.fma(a1, q1);
        q2 = a2.fma(a2, q2);
        q3 = a3.fma(a3, q3);
      }
      sa += blockSum(s0, s1, s2, s3);
      saa += blockSum(q0, q1, q2, q3);
    }
    for (; i < n; i++) {
      sa += a[i];
      saa += (double) a[i] * a[i];
    }
    return new double[] {sa, saa};
  }

  @Override
  public double[] dotAndSquares(float[] a, float[] b) {
    int n = a.length, head = n - n % FLOAT_SLOTS, i = 0;
    double sab = 0, sbb = 0;
    while (i < head) {
      int end = Math.min(i + BLOCK, head);
      FloatVector p0 = FloatVector.zero(F), p1 = p0, p2 = p0, p3 = p0, q0 = p0, q1 = p0, q2 = p0, q3 = p0;
      for (; i < end; i += FLOAT_SLOTS) {
        FloatVector b0 = FloatVector.fromArray(F, b, i);
        FloatVector b1 = FloatVector.fromArray(F, b, i + L);
        FloatVector b2 = FloatVector.fromArray(F, b, i + 2 * L);
        FloatVector b3 = FloatVector.fromArray(F, b, i + 3 * L);
        p0 = FloatVector.fromArray(F, a, i).fma(b0, p0);
        p1 = FloatVector.fromArray(F, a, i + L).fma(b1, p1);
        p2 = FloatVector.fromArray(F, a, i + 2 * L).fma(b2, p2);
        p3 = FloatVector.fromArray(F, a, i + 3 * L).fma(b3, p3);
        q0 = b0.fma(b0, q0);
        q1 = b1.fma(b1, q1);
        q2 = b2.fma(b2, q2);
        q3 = b3.fma(b3, q3);
      }
      sab += blockSum(p0, p1, p2, p3);
      sbb += blockSum(q0, q1, q2, q3);
    }
    for (; i < n; i++) {
      sab += (double) a[i] * b[i];
      sbb += (double) b[i] * b[i];
    }
    return new double[] {sab, sbb};
  }

  @Override
  public double[] crossMoments(float[] a, float[] b) {
    int n = a.length, head = n - n % FLOAT_SLOTS, i = 0;
    double sb = 0, sbb = 0, sab = 0;
    while (i < head) {
      int end = Math.min(i + BLOCK, head);
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      FloatVector q0 = s0, q1 = s0, q2 = s0, q3 = s0, p0 = s0, p1 = s0, p2 = s0, p3 = s0;
      for (; i < end; i += FLOAT_SLOTS) {
        FloatVector b0 = FloatVector.fromArray(F, b, i);
        FloatVector b1 = FloatVector.fromArray(F, b, i + L);
        FloatVector b2 = FloatVector.fromArray(F, b, i + 2 * L);
        FloatVector b3 = FloatVector.fromArray(F, b, i + 3 * L);
        s0 = s0.add(b0);
        s1 = s1.add(b1);
        s2 = s2.add(b2);
        s3 = s3.add(b3);
        q0 = b0.fma(b0, q0);
        q1 = b1.fma(b1, q1);
        q2 = b2.fma(b2, q2);
        q3 = b3.fma(b3, q3);
        p0 = FloatVector.fromArray(F, a, i).fma(b0, p0);
        p1 = FloatVector.fromArray(F, a, i + L).fma(b1, p1);
        p2 = FloatVector.fromArray(F, a, i + 2 * L).fma(b2, p2);
        p3 = FloatVector.fromArray(F, a, i + 3 * L).fma(b3, p3);
      }
      sb += blockSum(s0, s1, s2, s3);
      sbb += blockSum(q0, q1, q2, q3);
      sab += blockSum(p0, p1, p2, p3);
    }
    for (; i < n; i++) {
      sb += b[i];
      sbb += (double) b[i] * b[i];
      sab += (double) a[i] * b[i];
    }
    return new double[] {sb, sbb, sab};
  }

  @Override
  public double chiSquared(float[] a, float[] b) {
    if (!WIDE_DOUBLES) {
      return SCALAR.chiSquared(a, b);
    }
    int n = a.length, head = n - n % DOUBLE_SLOTS, i = 0;
    DoubleVector c0 = DoubleVector.zero(D4), c1 = c0;
    for (; i < head; i += DOUBLE_SLOTS) {
      c0 = addTerms(c0, a, b, i);
      c1 = addTerms(c1, a, b, i + 4);
    }
    // slots 0..3 are c0's lanes, 4..7 c1's; combined as ScalarKernels does
    double sum = ((c0.lane(0) + c0.lane(2)) + (c1.lane(0) + c1.lane(2)))
        + ((c0.lane(1) + c0.lane(3)) + (c1.lane(1) + c1.lane(3)));
    for (; i < n; i++) {
      double xa = a[i], xb = b[i], s = xa + xb;
      if (s != 0) {
        double d = xa - xb;
        sum += d * d / s;
      }
    }
    return 0.5 * sum;
  }

  /** acc + (x - y)^2 / (x + y) in double for elements i..i+3 where x + y != 0 (the masked add drops 0/0). */
  private static DoubleVector addTerms(DoubleVector acc, float[] a, float[] b, int i) {
    DoubleVector x = (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D4, 0);
    DoubleVector y = (DoubleVector) FloatVector.fromArray(F, b, i).convertShape(VectorOperators.F2D, D4, 0);
    DoubleVector s = x.add(y);
    DoubleVector d = x.sub(y);
    return acc.add(d.mul(d).div(s), s.compare(VectorOperators.NE, 0.0));
  }

  /** The 16 slots of a block in double, in the order of {@link ScalarKernels#blockSum}. */
  private static double blockSum(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3) {
    double x0 = (double) s0.lane(0) + s0.lane(2);
    double x1 = (double) s0.lane(1) + s0.lane(3);
    x0 += (double) s1.lane(0) + s1.lane(2);
    x1 += (double) s1.lane(1) + s1.lane(3);
    x0 += (double) s2.lane(0) + s2.lane(2);
    x1 += (double) s2.lane(1) + s2.lane(3);
    x0 += (double) s3.lane(0) + s3.lane(2);
    x1 += (double) s3.lane(1) + s3.lane(3);
    return x0 + x1;
  }
}
