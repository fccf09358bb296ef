package imgsearch.descriptor;

/**
 * {@link VectorKernels} in plain Java, for a JVM without the vector module: the same slots, blocks and
 * order of additions as {@link SimdKernels}, so both give the same bits. (Java never reorders
 * floating-point additions, so the JIT's own vectorisation cannot change the result.)
 */
final class ScalarKernels implements VectorKernels {

  private static final int S = FLOAT_SLOTS;

  @Override
  public double l1(float[] a, float[] b) {
    int n = a.length, head = n - n % S;
    float[] slot = new float[S];
    double sum = 0;
    for (int start = 0; start < head; start += BLOCK) {
      java.util.Arrays.fill(slot, 0f);
      for (int i = start, end = Math.min(start + BLOCK, head); i < end; i += S) {
        for (int j = 0; j < S; j++) {
          slot[j] += Math.abs(a[i + j] - b[i + j]);
        }
      }
      sum += blockSum(slot);
    }
    for (int i = head; i < n; i++) {
      sum += Math.abs((double) a[i] - b[i]);
    }
    return sum;
  }

  @Override
  public double squaredL2(float[] a, float[] b) {
    int n = a.length, head = n - n % S;
    float[] slot = new float[S];
    double sum = 0;
    for (int start = 0; start < head; start += BLOCK) {
      java.util.Arrays.fill(slot, 0f);
      for (int i = start, end = Math.min(start + BLOCK, head); i < end; i += S) {
        for (int j = 0; j < S; j++) {
          float d = a[i + j] - b[i + j];
          slot[j] = Math.fma(d, d, slot[j]);
        }
      }
      sum += blockSum(slot);
    }
    for (int i = head; i < n; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  @Override
  public double dot(float[] a, float[] b) {
    int n = a.length, head = n - n % S;
    float[] slot = new float[S];
    double sum = 0;
    for (int start = 0; start < head; start += BLOCK) {
      java.util.Arrays.fill(slot, 0f);
      for (int i = start, end = Math.min(start + BLOCK, head); i < end; i += S) {
        for (int j = 0; j < S; j++) {
          slot[j] = Math.fma(a[i + j], b[i + j], slot[j]);
        }
      }
      sum += blockSum(slot);
    }
    for (int i = head; i < n; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  @Override
  public double[] sumAndSquares(float[] a) {
    int n = a.length, head = n - n % S;
    float[] s = new float[S], q = new float[S];
    double sa = 0, saa = 0;
    for (int start = 0; start < head; start += BLOCK) {
      java.util.Arrays.fill(s, 0f);
      java.util.Arrays.fill(q, 0f);
      for (int i = start, end = Math.min(start + BLOCK, head); i < end; i += S) {
        for (int j = 0; j < S; j++) {
          float x = a[i + j];
          s[j] += x;
          q[j] = Math.fma(x, x, q[j]);
        }
      }
      sa += blockSum(s);
      saa += blockSum(q);
    }
    for (int i = head; i < n; i++) {
      sa += a[i];
      saa += (double) a[i] * a[i];
    }
    return new double[] {sa, saa};
  }

  @Override
  public double[] dotAndSquares(float[] a, float[] b) {
    int n = a.length, head = n - n % S;
    float[] p = new float[S], q = new float[S];
    double sab = 0, sbb = 0;
    for (int start = 0; start < head; start += BLOCK) {
      java.util.Arrays.fill(p, 0f);
      java.util.Arrays.fill(q, 0f);
      for (int i = start, end = Math.min(start + BLOCK, head); i < end; i += S) {
        for (int j = 0; j < S; j++) {
          float y = b[i + j];
          p[j] = Math.fma(a[i + j], y, p[j]);
          q[j] = Math.fma(y, y, q[j]);
        }
      }
      sab += blockSum(p);
      sbb += blockSum(q);
    }
    for (int i = head; i < n; i++) {
      sab += (double) a[i] * b[i];
      sbb += (double) b[i] * b[i];
    }
    return new double[] {sab, sbb};
  }

  @Override
  public double[] crossMoments(float[] a, float[] b) {
    int n = a.length, head = n - n % S;
    float[] s = new float[S], q = new float[S], p = new float[S];
    double sb = 0, sbb = 0, sab = 0;
    for (int start = 0; start < head; start += BLOCK) {
      java.util.Arrays.fill(s, 0f);
      java.util.Arrays.fill(q, 0f);
      java.util.Arrays.fill(p, 0f);
      for (int i = start, end = Math.min(start + BLOCK, head); i < end; i += S) {
        for (int j = 0; j < S; j++) {
          float y = b[i + j];
          s[j] += y;
          q[j] = Math.fma(y, y, q[j]);
          p[j] = Math.fma(a[i + j], y, p[j]);
        }
      }
      sb += blockSum(s);
      sbb += blockSum(q);
      sab += blockSum(p);
    }
    for (int i = head; i < n; i++) {
      sb += b[i];
      sbb += (double) b[i] * b[i];
      sab += (double) a[i] * b[i];
    }
    return new double[] {sb, sbb, sab};
  }

  @Override
  public double chiSquared(float[] a, float[] b) {
    int n = a.length, head = n - n % DOUBLE_SLOTS;
    double[] slot = new double[DOUBLE_SLOTS];
    for (int i = 0; i < head; i += DOUBLE_SLOTS) {
      for (int j = 0; j < DOUBLE_SLOTS; j++) {
        double x = a[i + j], y = b[i + j], s = x + y;
        if (s != 0) {
          double d = x - y;
          slot[j] += d * d / s;
        }
      }
    }
    double sum = ((slot[0] + slot[2]) + (slot[4] + slot[6])) + ((slot[1] + slot[3]) + (slot[5] + slot[7]));
    for (int i = head; i < n; i++) {
      double x = a[i], y = b[i], s = x + y;
      if (s != 0) {
        double d = x - y;
        sum += d * d / s;
      }
    }
    return 0.5 * sum;
  }

  /** A block's 16 float slots in double, in the order {@link SimdKernels} adds its lanes. */
  static double blockSum(float[] s) {
    double x0 = (double) s[0] + s[2];
    double x1 = (double) s[1] + s[3];
    for (int k = 4; k < S; k += 4) {
      x0 += (double) s[k] + s[k + 2];
      x1 += (double) s[k + 1] + s[k + 3];
    }
    return x0 + x1;
  }
}
