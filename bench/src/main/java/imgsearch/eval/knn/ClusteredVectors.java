package imgsearch.eval.knn;

import java.util.SplittableRandom;

/**
 * Synthetic unit vectors shaped like image embeddings: clustered, each cluster spread along a few
 * directions of its own, plus a little noise in every direction. Random Gaussian vectors would be a
 * needlessly hard case for a graph index (every point about as far from every other); real embeddings
 * sit in clusters on a low-dimensional surface.
 *
 * <p>A vector is {@code normalize(centre_c + spread * u + noise * e)}: the cluster {@code c} is drawn
 * uniformly, {@code centre_c} is a random unit vector, {@code u} a Gaussian combination of
 * {@code subspace} random directions of that cluster (expected length 1), and {@code e} an isotropic
 * Gaussian of expected length 1. Every vector is a function of the seed, its stream (base or queries) and
 * its position only, so files can be written by several threads and are the same on every machine.
 */
public final class ClusteredVectors {

  /** Directions each cluster spreads along. */
  public static final int SUBSPACE = 16;
  /** Length of the in-cluster spread relative to the centre. */
  public static final double SPREAD = 0.8;
  /** Length of the isotropic noise relative to the centre. */
  public static final double NOISE = 0.25;

  /** Which sequence of vectors: the base to index, or the queries. */
  public enum Stream {
    BASE(0x5bd1e995L), QUERIES(0x27d4eb2fL);

    final long salt;

    Stream(long salt) {
      this.salt = salt;
    }
  }

  private final int dimension;
  private final int clusters;
  private final long seed;
  /** clusters x dimension */
  private final float[] centres;
  /** clusters x SUBSPACE x dimension */
  private final float[] directions;

  /**
   * @param dimension values per vector
   * @param clusters number of clusters
   * @param seed the same seed gives the same vectors
   */
  public ClusteredVectors(int dimension, int clusters, long seed) {
    if (dimension < 2 || clusters < 1) {
      throw new IllegalArgumentException("need at least 2 dimensions and 1 cluster");
    }
    this.dimension = dimension;
    this.clusters = clusters;
    this.seed = seed;
    this.centres = new float[clusters * dimension];
    this.directions = new float[clusters * SUBSPACE * dimension];
    for (int c = 0; c < clusters; c++) {
      SplittableRandom rnd = new SplittableRandom(mix(seed, 0x9e3779b97f4a7c15L, c));
      double norm = 0;
      for (int j = 0; j < dimension; j++) {
        float x = (float) rnd.nextGaussian();
        centres[c * dimension + j] = x;
        norm += (double) x * x;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < dimension; j++) {
        centres[c * dimension + j] *= inv;
      }
      double scale = 1 / Math.sqrt(dimension);
      for (int s = 0; s < SUBSPACE; s++) {
        int base = (c * SUBSPACE + s) * dimension;
        for (int j = 0; j < dimension; j++) {
          directions[base + j] = (float) (rnd.nextGaussian() * scale);
        }
      }
    }
  }

  /** A sensible number of clusters for {@code n} vectors: about the square root, at least 8. */
  public static int defaultClusters(long n) {
    return (int) Math.max(8, Math.round(Math.sqrt(n)));
  }

  public int dimension() {
    return dimension;
  }

  /** Vector {@code index} of {@code stream}, unit length. */
  public float[] vector(Stream stream, long index) {
    SplittableRandom rnd = new SplittableRandom(mix(seed, stream.salt, index));
    int c = rnd.nextInt(clusters);
    double[] x = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      x[j] = centres[c * dimension + j];
    }
    double weight = SPREAD / Math.sqrt(SUBSPACE);
    for (int s = 0; s < SUBSPACE; s++) {
      double z = rnd.nextGaussian() * weight;
      int base = (c * SUBSPACE + s) * dimension;
      for (int j = 0; j < dimension; j++) {
        x[j] += z * directions[base + j];
      }
    }
    double noise = NOISE / Math.sqrt(dimension);
    double norm = 0;
    for (int j = 0; j < dimension; j++) {
      x[j] += rnd.nextGaussian() * noise;
      norm += x[j] * x[j];
    }
    double inv = 1 / Math.sqrt(norm);
    float[] out = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      out[j] = (float) (x[j] * inv);
    }
    return out;
  }

  /** A well-spread 64-bit seed from three numbers (SplitMix64 finaliser). */
  private static long mix(long seed, long salt, long index) {
    long z = seed * 0x9e3779b97f4a7c15L + salt * 0xbf58476d1ce4e5b9L + index;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
