package imgsearch.descriptor;

/**
 * Finds the picture inside letterbox or pillarbox borders: the flat bands of one colour that a photo
 * gets when it is fitted into a frame of another shape (a square post, a 16:9 video, a screenshot).
 * Cutting them away before describing makes a padded copy look like its original.
 */
final class Borders {
  /** A pixel belongs to a band when no channel differs from the band's colour by more than this. */
  static final int TOLERANCE = 12;
  /** Share of a row's (column's) pixels that must match for it to count as part of a band. */
  static final double MATCHING = 0.98;
  /** At most this share of each dimension is cut from each side. */
  static final double MAX_CUT = 0.4;
  /** Bands thinner than this many lines are not cut (they are often a frame line, or JPEG noise). */
  static final int MIN_BAND = 2;

  private Borders() {}

  /**
   * The content box of a {@code w x h} image of packed RGB pixels, as {@code {x0, y0, x1, y1}} (end
   * exclusive): the whole image when it has no flat band along any side.
   */
  static int[] content(int[] rgb, int w, int h) {
    int maxRows = (int) (h * MAX_CUT), maxCols = (int) (w * MAX_CUT);
    int[] top = band(rgb, w, h, 0, 1, true, maxRows);
    int[] bottom = band(rgb, w, h, h - 1, -1, true, maxRows);
    int[] left = band(rgb, w, h, 0, 1, false, maxCols);
    int[] right = band(rgb, w, h, w - 1, -1, false, maxCols);
    boolean rows = pair(top, bottom), cols = pair(left, right);
    return new int[] {cols ? left[0] : 0, rows ? top[0] : 0, cols ? w - right[0] : w, rows ? h - bottom[0] : h};
  }

  /**
   * Whether two opposite bands frame the picture: both present and of one colour, as a letterbox is. A
   * flat band on one side only is more often part of the picture (a clear sky, a wall) than padding.
   */
  private static boolean pair(int[] a, int[] b) {
    return a[0] >= MIN_BAND && b[0] >= MIN_BAND && Math.abs(a[1] - b[1]) <= TOLERANCE
        && Math.abs(a[2] - b[2]) <= TOLERANCE && Math.abs(a[3] - b[3]) <= TOLERANCE;
  }

  /**
   * How many rows (or columns) from {@code start} in direction {@code step} match the colour of the
   * first one, which must itself be flat, at most {@code max}; then that colour's red, green and blue.
   */
  private static int[] band(int[] rgb, int w, int h, int start, int step, boolean rows, int max) {
    int length = rows ? w : h;
    // the band's colour: the mean of the outermost line
    long r = 0, g = 0, b = 0;
    for (int i = 0; i < length; i++) {
      int p = rgb[rows ? start * w + i : i * w + start];
      r += (p >> 16) & 0xFF;
      g += (p >> 8) & 0xFF;
      b += p & 0xFF;
    }
    int cr = (int) (r / length), cg = (int) (g / length), cb = (int) (b / length);
    int n = 0;
    for (int line = start; n < max; line += step, n++) {
      int matching = 0;
      for (int i = 0; i < length; i++) {
        int p = rgb[rows ? line * w + i : i * w + line];
        if (Math.abs(((p >> 16) & 0xFF) - cr) <= TOLERANCE && Math.abs(((p >> 8) & 0xFF) - cg) <= TOLERANCE
            && Math.abs((p & 0xFF) - cb) <= TOLERANCE) {
          matching++;
        }
      }
      if (matching < MATCHING * length) {
        break;
      }
    }
    return new int[] {n, cr, cg, cb};
  }
}
