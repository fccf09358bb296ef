package imgsearch.crawl.clean;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A 64-bit perceptual hash (pHash): the image's luminance averaged down to 32x32 cells, its 8x8 lowest
 * frequencies from a discrete cosine transform, one bit per frequency (above the median or not).
 * Recompression, rescaling and small colour shifts change a few bits; different pictures differ in about
 * half of them. It separates look-alikes from merely similar pictures better than a perceptual hash, whose
 * bits flip on smooth gradients.
 */
public final class PerceptualHash {

  private static final int N = 32;
  private static final int K = 8;
  /** COS[u][x] = cos((2x + 1) u pi / 2N). */
  private static final double[][] COS = new double[K][N];

  static {
    for (int u = 0; u < K; u++) {
      for (int x = 0; x < N; x++) {
        COS[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * N));
      }
    }
  }

  private PerceptualHash() {}

  /** The hash of {@code image} (any type; read through getRGB). */
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

  /** Luminance, 0..255, of a packed RGB pixel. */
  static double luma(int rgb) {
    return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
  }

  private static double[] cells(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double[] sum = new double[N * N];
    int[] count = new int[N * N];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      int cy = (int) ((long) y * N / h);
      for (int x = 0; x < w; x++) {
        int cell = cy * N + (int) ((long) x * N / w);
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
