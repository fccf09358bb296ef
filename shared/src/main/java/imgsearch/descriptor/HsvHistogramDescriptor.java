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

  private static final List<Metric> METRICS = List.of(Metric.CHI_SQUARED, Metric.L1);

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
    return 1;
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
    int w = image.getWidth(), h = image.getHeight();
    int[] rgb = ImageScaling.rgb(image);
    double[] counts = new double[REGIONS * BINS];
    int[] pixelsPerRegion = new int[REGIONS];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int region = region(x, y, w, h);
        counts[region * BINS + bin(rgb[y * w + x])]++;
        pixelsPerRegion[region]++;
      }
    }
    float[] v = new float[REGIONS * BINS];
    for (int r = 0; r < REGIONS; r++) {
      if (pixelsPerRegion[r] > 0) {
        for (int b = 0; b < BINS; b++) {
          v[r * BINS + b] = (float) (counts[r * BINS + b] / pixelsPerRegion[r]);
        }
      }
    }
    return v;
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

  /** The histogram bin, 0..287, of one packed RGB pixel. */
  public static int bin(int rgb) {
    int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    int max = Math.max(r, Math.max(g, b));
    int min = Math.min(r, Math.min(g, b));
    int delta = max - min;
    double hue = 0;
    if (delta > 0) {
      if (max == r) {
        hue = 60.0 * (g - b) / delta;
        if (hue < 0) {
          hue += 360;
        }
      } else if (max == g) {
        hue = 60.0 * (b - r) / delta + 120;
      } else {
        hue = 60.0 * (r - g) / delta + 240;
      }
    }
    int hBin = Math.min(HUE_BINS - 1, (int) (hue / (360.0 / HUE_BINS)));
    int sBin = max == 0 ? 0 : Math.min(SATURATION_BINS - 1, delta * SATURATION_BINS / max);
    int vBin = max * VALUE_BINS / 256;
    return (hBin * SATURATION_BINS + sBin) * VALUE_BINS + vBin;
  }
}
