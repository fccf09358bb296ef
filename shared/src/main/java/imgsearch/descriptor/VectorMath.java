package imgsearch.descriptor;

/** The arithmetic behind {@link Metric}; sums are accumulated in double so rankings match the definitions. */
final class VectorMath {
  private VectorMath() {}

  static double l1(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum;
  }

  static double squaredL2(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
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
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
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
