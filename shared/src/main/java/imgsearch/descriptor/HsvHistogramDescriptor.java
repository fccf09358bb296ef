package imgsearch.descriptor;

import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A colour histogram in HSV space over five regions, after the well-known "colour descriptor" of
 * pyimagesearch: a central ellipse (axes 75% of the half-width and half-height) and the four quadrants
 * of the image minus that ellipse. Each region gets an 8 x 12 x 3 (hue x saturation x value) histogram
 * normalised to sum 1; regions are laid out top-left, top-right, bottom-right, bottom-left, centre, for
 * 5 x 288 = 1,440 values. Compared by chi-squared distance.
 *
 * <p>Bins: hue in degrees [0, 360) in 8 bins of 45 degrees; saturation (max - min) / max in [0, 1] in 12
 * bins; value max / 255 in 3 bins ({@code floor(max * 3 / 256)}, as OpenCV bins 8-bit values). Greys
 * have hue 0 and saturation 0. A region without pixels (only in images a few pixels wide) stays all
 * zeros. Within a region's 288 values the index is {@code (h * 12 + s) * 3 + v}.
 *
 * <p>Version 2 histograms the photo decoded at reduced size, brought to a working size by averaging blocks
 * of 2 x 2, 4 x 4 or 8 x 8 pixels (the largest that keeps the shorter side at least {@value #WORKING_SIDE}
 * pixels), instead of every pixel of the full-size photo; bins are computed in integers. Shares of pixels
 * hardly depend on the resolution, and the working size makes the vector nearly independent of the size
 * the decoder happened to deliver.
 */
public final class HsvHistogramDescriptor implements Descriptor {

  /** Registry name. */
  public static final String NAME = "hsv-hist";
  public static final int HUE_BINS = 8;
  public static final int SATURATION_BINS = 12;
  public static final int VALUE_BINS = 3;
  public static final int BINS = HUE_BINS * SATURATION_BINS * VALUE_BINS;
  public static final int REGIONS = 5;

  /** Region indexes, in the order of the vector. */
  public static final int TOP_LEFT = 0, TOP_RIGHT = 1, BOTTOM_RIGHT = 2, BOTTOM_LEFT = 3, CENTRE = 4;

  /** ceil(2^32 / d) for every divisor {@link #bin} uses (up to 6 x 255): division by multiplication. */
  private static final long[] RECIPROCALS = new long[6 * 255 + 1];

  static {
    for (int d = 1; d < RECIPROCALS.length; d++) {
      RECIPROCALS[d] = ((1L << 32) + d - 1) / d;
    }
  }

  /**
   * floor(a / d) for 0 <= a <= 8 x 6 x 255 and 1 <= d <= 6 x 255, without a division instruction: exact,
   * since a x d stays far below 2^32.
   */
  private static int divide(int a, int d) {
    return (int) ((a * RECIPROCALS[d]) >>> 32);
  }

  /** Shorter side of the image the histogram is taken of. */
  public static final int WORKING_SIDE = 64;

  private static final List<Metric> METRICS = List.of(Metric.CHI_SQUARED, Metric.L1);

  private final int workingSide;

  public HsvHistogramDescriptor() {
    this(WORKING_SIDE);
  }

  /** With another working size, for measurements. */
  HsvHistogramDescriptor(int workingSide) {
    this.workingSide = workingSide;
  }

  /** Parses the config: this descriptor has none, so only {@code ""} is accepted. */
  public static HsvHistogramDescriptor fromConfig(String config) {
    if (config != null && !config.isBlank()) {
      throw new IllegalArgumentException("hsv-hist takes no configuration, got '" + config + "'");
    }
    return new HsvHistogramDescriptor();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 2;
  }

  @Override
  public int inputSide() {
    return workingSide;
  }

  @Override
  public String config() {
    return "";
  }

  @Override
  public int dimension() {
    return REGIONS * BINS;
  }

  @Override
  public List<Metric> metrics() {
    return METRICS;
  }


  @Override
  public float[] describe(BufferedImage image) {
    BufferedImage working = ImageScaling.reduceTo(image, workingSide);
    int w = working.getWidth(), h = working.getHeight();
    int[] rgb = ImageScaling.pixels(working);
    int[] counts = new int[REGIONS * BINS];
    int[] pixelsPerRegion = new int[REGIONS];
    for (int y = 0; y < h; y++) {
      // The centre ellipse covers one run of each row: find its ends once per row. Left of it, right of
      // it: the row's two quadrants.
      int[] span = ellipseSpan(y, w, h);
      int half = w / 2;
      boolean top = y < h / 2;
      int left = top ? TOP_LEFT : BOTTOM_LEFT, right = top ? TOP_RIGHT : BOTTOM_RIGHT;
      int row = y * w;
      count(rgb, row, 0, Math.min(span[0], half), left, counts, pixelsPerRegion);
      count(rgb, row, Math.min(span[0], half), span[0], right, counts, pixelsPerRegion);
      count(rgb, row, span[0], span[1], CENTRE, counts, pixelsPerRegion);
      count(rgb, row, span[1], Math.max(span[1], half), left, counts, pixelsPerRegion);
      count(rgb, row, Math.max(span[1], half), w, right, counts, pixelsPerRegion);
    }
    float[] v = new float[REGIONS * BINS];
    for (int r = 0; r < REGIONS; r++) {
      if (pixelsPerRegion[r] > 0) {
        for (int b = 0; b < BINS; b++) {
          v[r * BINS + b] = (float) ((double) counts[r * BINS + b] / pixelsPerRegion[r]);
        }
      }
    }
    return v;
  }

  /**
   * The columns [from, to) of row y that {@link #region} puts in the centre ellipse: a run around the middle
   * column (the distance to the centre grows on either side of it), found by binary search.
   */
  private static int[] ellipseSpan(int y, int w, int h) {
    int middle = Math.max(0, Math.min(w - 1, (w - 1) / 2));
    if (region(middle, y, w, h) != CENTRE) {
      int other = Math.min(w - 1, middle + 1);
      if (region(other, y, w, h) != CENTRE) {
        return new int[] {w, w};
      }
      middle = other;
    }
    int lo = 0, hi = middle; // first column inside
    while (lo < hi) {
      int m = (lo + hi) >>> 1;
      if (region(m, y, w, h) == CENTRE) {
        hi = m;
      } else {
        lo = m + 1;
      }
    }
    int from = lo;
    lo = middle;
    hi = w - 1; // last column inside
    while (lo < hi) {
      int m = (lo + hi + 1) >>> 1;
      if (region(m, y, w, h) == CENTRE) {
        lo = m;
      } else {
        hi = m - 1;
      }
    }
    return new int[] {from, lo + 1};
  }

  /** Counts the pixels of columns [from, to) of a row into one region's histogram. */
  private static void count(int[] rgb, int row, int from, int to, int region, int[] counts, int[] pixelsPerRegion) {
    int base = region * BINS;
    for (int x = from; x < to; x++) {
      counts[base + bin(rgb[row + x])]++;
    }
    pixelsPerRegion[region] += Math.max(0, to - from);
  }

  /**
   * The region of pixel (x, y): the centre when the pixel's centre lies in the ellipse centred on the
   * image with semi-axes 0.375 w and 0.375 h, else the quadrant it lies in.
   */
  public static int region(int x, int y, int w, int h) {
    double dx = (x + 0.5 - w / 2.0) / (0.375 * w);
    double dy = (y + 0.5 - h / 2.0) / (0.375 * h);
    if (dx * dx + dy * dy <= 1) {
      return CENTRE;
    }
    boolean left = x < w / 2, top = y < h / 2;
    return top ? (left ? TOP_LEFT : TOP_RIGHT) : (left ? BOTTOM_LEFT : BOTTOM_RIGHT);
  }

  /**
   * The histogram bin, 0..287, of one packed RGB pixel. The hue bin is {@code floor(hue / 45 degrees)},
   * computed exactly in integers: hue / 60 degrees is {@code (g - b) / delta} (plus 6 when negative),
   * {@code 2 + (b - r) / delta} or {@code 4 + (r - g) / delta} when red, green or blue is the largest
   * channel (checked in that order), and the bin is that times 8 / 6.
   */
  public static int bin(int rgb) {
    int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    int max = Math.max(r, Math.max(g, b));
    int min = Math.min(r, Math.min(g, b));
    int delta = max - min;
    int hBin = 0;
    if (delta > 0) {
      // (hue / 60 degrees) * delta, never negative
      int sixths;
      if (max == r) {
        sixths = g >= b ? g - b : 6 * delta + g - b;
      } else if (max == g) {
        sixths = 2 * delta + b - r;
      } else {
        sixths = 4 * delta + r - g;
      }
      hBin = Math.min(HUE_BINS - 1, divide(HUE_BINS * sixths, 6 * delta));
    }
    int sBin = max == 0 ? 0 : Math.min(SATURATION_BINS - 1, divide(delta * SATURATION_BINS, max));
    int vBin = max * VALUE_BINS / 256;
    return (hBin * SATURATION_BINS + sBin) * VALUE_BINS + vBin;
  }
}
