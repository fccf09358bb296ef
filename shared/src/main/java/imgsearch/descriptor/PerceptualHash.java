package imgsearch.descriptor;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A 64-bit perceptual hash (pHash): the image's luminance averaged down to 32x32 cells, its 8x8 lowest
 * frequencies from a discrete cosine transform, one bit per frequency (above the median or not).
 * Recompression, rescaling and small colour shifts change a few bits; different pictures differ in about
 * half of them. It separates look-alikes from merely similar pictures better than an average hash, whose
 * bits flip on smooth gradients.
 *
 * <p>This is the one definition of "the same picture" that the crawler's cleaning and
 * {@code imgsearch duplicates --descriptor phash} share: two images are near-duplicates when their hashes
 * differ in at most {@link #NEAR_DUPLICATE_BITS} bits.
 */
public final class PerceptualHash {

  /**
   * Largest number of differing bits at which two images count as the same picture: the crawler drops a
   * candidate this close to a kept image, and {@code duplicates --descriptor phash} groups images this close
   * by default.
   */
  public static final int NEAR_DUPLICATE_BITS = 6;

  /** Number of bits in a hash. */
  public static final int BITS = 64;

  private static final int N = 32;
  private static final int K = 8;
  /** COS[u][x] = cos((2x + 1) u pi / 2N). */
  private static final double[][] COS = new double[K][N];
  /** Each channel's share of the luminance, per channel value: the same products {@link #luma} computes. */
  private static final double[] RED = new double[256];
  private static final double[] GREEN = new double[256];
  private static final double[] BLUE = new double[256];

  static {
    for (int u = 0; u < K; u++) {
      for (int x = 0; x < N; x++) {
        COS[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * N));
      }
    }
    for (int v = 0; v < 256; v++) {
      RED[v] = 0.299 * v;
      GREEN[v] = 0.587 * v;
      BLUE[v] = 0.114 * v;
    }
  }

  private PerceptualHash() {}

  /** The hash of {@code image} (any type). */
  public static long of(BufferedImage image) {
    double[] cells = cells(image);
    double[] coef = new double[K * K];
    for (int u = 0; u < K; u++) {
      for (int v = 0; v < K; v++) {
        double s = 0;
        for (int y = 0; y < N; y++) {
          double row = 0;
          for (int x = 0; x < N; x++) {
            row += cells[y * N + x] * COS[u][x];
          }
          s += row * COS[v][y];
        }
        coef[u * K + v] = s;
      }
    }
    // The median of all but the DC term, which only says how bright the picture is.
    double[] ac = Arrays.copyOfRange(coef, 1, coef.length);
    Arrays.sort(ac);
    double median = (ac[ac.length / 2 - 1] + ac[ac.length / 2]) / 2;
    long bits = 0;
    for (double c : coef) {
      bits = (bits << 1) | (c > median ? 1 : 0);
    }
    return bits;
  }

  /** Number of differing bits. */
  public static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  /**
   * The hash as 64 floats, 1 for a set bit and 0 for a clear one, most significant bit first: the L1 distance
   * of two such vectors is the number of differing bits, and the squared L2 distance too.
   */
  public static float[] toVector(long hash) {
    float[] v = new float[BITS];
    for (int i = 0; i < BITS; i++) {
      v[i] = (hash >>> (BITS - 1 - i) & 1L) != 0 ? 1f : 0f;
    }
    return v;
  }

  /** The hash a {@link #toVector} vector holds (components above 0.5 are set bits). */
  public static long fromVector(float[] vector) {
    if (vector.length != BITS) {
      throw new IllegalArgumentException("a perceptual hash vector has " + BITS + " components, got " + vector.length);
    }
    long bits = 0;
    for (float f : vector) {
      bits = (bits << 1) | (f > 0.5f ? 1 : 0);
    }
    return bits;
  }

  /** Luminance, 0..255, of a packed RGB pixel. */
  public static double luma(int rgb) {
    return RED[(rgb >> 16) & 0xff] + GREEN[(rgb >> 8) & 0xff] + BLUE[rgb & 0xff];
  }

  private static double[] cells(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double[] sum = new double[N * N];
    int[] count = new int[N * N];
    int[] row = new int[w];
    int[] cellOfColumn = new int[w];
    for (int x = 0; x < w; x++) {
      cellOfColumn[x] = (int) ((long) x * N / w);
    }
    // Rows of packed pixels straight from the raster where the type allows it (about ten times faster than
    // getRGB, which converts pixel by pixel); the luminance of each pixel is the same either way.
    boolean packed = image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB;
    for (int y = 0; y < h; y++) {
      if (packed) {
        image.getRaster().getDataElements(0, y, w, 1, row);
      } else {
        image.getRGB(0, y, w, 1, row, 0, w);
      }
      int first = (int) ((long) y * N / h) * N;
      for (int x = 0; x < w; x++) {
        int cell = first + cellOfColumn[x];
        sum[cell] += luma(row[x]);
        count[cell]++;
      }
    }
    // Images smaller than 32 px on a side leave cells empty: they take their left or upper neighbour.
    for (int i = 0; i < sum.length; i++) {
      if (count[i] > 0) {
        sum[i] /= count[i];
      } else {
        sum[i] = i % N > 0 ? sum[i - 1] : i >= N ? sum[i - N] : 0;
      }
    }
    return sum;
  }
}
