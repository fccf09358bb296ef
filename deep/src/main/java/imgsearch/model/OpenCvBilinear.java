package imgsearch.model;

/**
 * OpenCV's {@code cv::resize(src, dst, size, 0, 0, INTER_LINEAR)} on 8-bit RGB, the resize MXNet's
 * {@code image.resize} (and so Gluon's {@code transforms.Resize}) runs on the CPU. Each output pixel
 * blends the two nearest source pixels on each axis, with the pixel centres aligned
 * ({@code src = (dst + 0.5) * scale - 0.5}); there is no antialiasing when shrinking.
 *
 * <p>The arithmetic is OpenCV's (imgproc {@code resize.cpp}): weights rounded to 11 bits; a horizontal
 * pass keeps {@code pixel * weight} sums in 32 bits; the vertical pass is the one its SIMD code
 * ({@code VResizeLinearVec_32s8u}, used for all but at most the last few values of a row on x86 and
 * ARM) computes: {@code ((h0 >> 4) * b0 >> 16) + ((h1 >> 4) * b1 >> 16)}, rounded with {@code (v + 2) >> 2}.
 * OpenCV's scalar tail rounds {@code (h0 * b0 + h1 * b1 + 2^21) >> 22} instead, which can differ by one
 * level; checked against OpenCV 4.6 in {@code ImagePreprocessorTest}.
 */
final class OpenCvBilinear {

  /** OpenCV's {@code INTER_RESIZE_COEF_BITS}. */
  private static final int COEF_BITS = 11;
  private static final int ONE = 1 << COEF_BITS;

  private OpenCvBilinear() {}

  /**
   * Resizes {@code src} (packed RGB, {@code srcW x srcH}) to {@code dstW x dstH} and returns only the
   * window {@code [left, left + winW) x [top, top + winH)} of the result, packed RGB, row by row.
   */
  static int[] resizeWindow(int[] src, int srcW, int srcH, int dstW, int dstH, int left, int top, int winW,
      int winH) {
    Taps horizontal = Taps.of(srcW, dstW, left, winW, true);
    Taps vertical = Taps.of(srcH, dstH, top, winH, false);
    int[] out = new int[winW * winH];
    int[] row0 = new int[winW * 3];
    int[] row1 = new int[winW * 3];
    int cached0 = -1;
    int cached1 = -1;
    for (int y = 0; y < winH; y++) {
      int sy0 = clamp(vertical.first[y], srcH);
      int sy1 = clamp(vertical.first[y] + 1, srcH);
      // Rows are reused from the previous output row when possible, as OpenCV's ring buffer does.
      if (sy0 != cached0) {
        if (sy0 == cached1) {
          int[] t = row0;
          row0 = row1;
          row1 = t;
          cached0 = sy0;
          cached1 = -1;
        } else {
          horizontalPass(src, sy0 * srcW, horizontal, row0);
          cached0 = sy0;
        }
      }
      if (sy1 != cached1) {
        horizontalPass(src, sy1 * srcW, horizontal, row1);
        cached1 = sy1;
      }
      int b0 = vertical.weight0[y];
      int b1 = vertical.weight1[y];
      for (int x = 0; x < winW; x++) {
        int r = blend(row0[3 * x], row1[3 * x], b0, b1);
        int g = blend(row0[3 * x + 1], row1[3 * x + 1], b0, b1);
        int b = blend(row0[3 * x + 2], row1[3 * x + 2], b0, b1);
        out[y * winW + x] = r << 16 | g << 8 | b;
      }
    }
    return out;
  }

  /** {@code HResizeLinear}: per channel {@code s0 * a0 + s1 * a1}, in units of 1/2048. */
  private static void horizontalPass(int[] src, int rowStart, Taps taps, int[] out) {
    for (int x = 0; x < taps.first.length; x++) {
      int p0 = src[rowStart + taps.first[x]];
      int a0 = taps.weight0[x];
      int a1 = taps.weight1[x];
      if (a1 == 0) { // a clamped border position (OpenCV multiplies by ONE) or an exact hit
        out[3 * x] = ((p0 >> 16) & 0xff) * a0;
        out[3 * x + 1] = ((p0 >> 8) & 0xff) * a0;
        out[3 * x + 2] = (p0 & 0xff) * a0;
      } else {
        int p1 = src[rowStart + taps.first[x] + 1];
        out[3 * x] = ((p0 >> 16) & 0xff) * a0 + ((p1 >> 16) & 0xff) * a1;
        out[3 * x + 1] = ((p0 >> 8) & 0xff) * a0 + ((p1 >> 8) & 0xff) * a1;
        out[3 * x + 2] = (p0 & 0xff) * a0 + (p1 & 0xff) * a1;
      }
    }
  }

  /** The vertical blend of OpenCV's SIMD path: 16-bit high multiplies, then a rounding shift by 2. */
  private static int blend(int h0, int h1, int b0, int b1) {
    int v = (((h0 >> 4) * b0) >> 16) + (((h1 >> 4) * b1) >> 16);
    int rounded = (v + 2) >> 2;
    return rounded < 0 ? 0 : Math.min(rounded, 255);
  }

  private static int clamp(int i, int size) {
    return i < 0 ? 0 : Math.min(i, size - 1);
  }

  /**
   * The first source index and the two 11-bit weights of each output position in a window.
   *
   * @param first source index of the first tap (for rows it may lie outside the image; it is clamped
   *     when the row is read)
   */
  private record Taps(int[] first, int[] weight0, int[] weight1) {

    /**
     * OpenCV's coefficient loop. On the horizontal axis a position left or right of the image is moved
     * onto its first or last pixel with the weights (1, 0); on the vertical axis only the rows read are
     * clamped, which gives the same value.
     */
    static Taps of(int inSize, int outSize, int from, int count, boolean clampPositions) {
      double scale = 1.0 / ((double) outSize / inSize); // cv::resize's scale_x = 1. / inv_scale_x
      int[] first = new int[count];
      int[] w0 = new int[count];
      int[] w1 = new int[count];
      for (int i = 0; i < count; i++) {
        int d = from + i;
        float f = (float) ((d + 0.5) * scale - 0.5);
        int s = (int) Math.floor(f);
        f -= s;
        if (clampPositions) {
          if (s < 0) {
            f = 0;
            s = 0;
          }
          if (s >= inSize - 1) {
            f = 0;
            s = inSize - 1;
          }
        }
        first[i] = s;
        // saturate_cast<short>(float) rounds half to even, as Math.rint does.
        w0[i] = (int) Math.rint((1f - f) * ONE);
        w1[i] = (int) Math.rint(f * ONE);
      }
      return new Taps(first, w0, w1);
    }
  }
}
