package imgsearch.index;

/**
 * The transformations every backend applies before putting a vector into an HNSW graph, so that the
 * graph's similarity answers the metric exactly.
 */
public final class GraphVectors {
  private GraphVectors() {}

  /**
   * Mean-centred, L2-normalised copy: dot products of such vectors are Pearson correlations, so a
   * dot-product graph ranks by correlation.
   */
  public static float[] centredUnit(float[] v) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double norm = 0;
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] - mean);
      norm += (double) out[i] * out[i];
    }
    if (norm == 0) {
      // A constant vector has no defined correlation; any unit vector keeps the graph's checks happy.
      out[0] = 1;
      return out;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return out;
  }

  /** Cosine graphs refuse all-zero vectors (a blank image): nudge them off zero, else return {@code v}. */
  public static float[] nonZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return v;
      }
    }
    float[] copy = v.clone();
    copy[0] = Float.MIN_NORMAL;
    return copy;
  }
}
