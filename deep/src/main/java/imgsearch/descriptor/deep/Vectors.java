package imgsearch.descriptor.deep;

/** L2 normalisation, so that a dot product of two embeddings is their cosine. */
final class Vectors {
  private Vectors() {}

  /** Scales {@code v} in place to unit length (a zero vector stays zero) and returns it. */
  static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }
}
