package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HsvHistogramDescriptorTest {

  private static final int BINS = 288;
  private final HsvHistogramDescriptor hsv = new HsvHistogramDescriptor();

  private static BufferedImage solid(int rgb, int w, int h) {
    int[] px = new int[w * h];
    Arrays.fill(px, rgb);
    return ImageScaling.fromRgb(px, w, h);
  }

  /** Index within a region: (hue bin * 12 + saturation bin) * 3 + value bin. */
  private static int bin(int h, int s, int v) {
    return (h * 12 + s) * 3 + v;
  }

  @Test
  void binsOfKnownColours() {
    assertEquals(bin(0, 11, 2), HsvHistogramDescriptor.bin(0xFF0000)); // red: hue 0, saturation 1, value 1
    assertEquals(bin(1, 11, 2), HsvHistogramDescriptor.bin(0xFFFF00)); // yellow: hue 60 -> bin 1 (45..90)
    assertEquals(bin(2, 11, 2), HsvHistogramDescriptor.bin(0x00FF00)); // green: hue 120 -> bin 2
    assertEquals(bin(5, 11, 2), HsvHistogramDescriptor.bin(0x0000FF)); // blue: hue 240 -> bin 5 (225..270)
    assertEquals(bin(7, 11, 2), HsvHistogramDescriptor.bin(0xFF00BF)); // hue 315 -> bin 7
    assertEquals(bin(0, 0, 0), HsvHistogramDescriptor.bin(0x000000)); // black
    assertEquals(bin(0, 0, 1), HsvHistogramDescriptor.bin(0x808080)); // grey 128: value 128 * 3 / 256 = 1
    assertEquals(bin(0, 0, 2), HsvHistogramDescriptor.bin(0xFFFFFF)); // white
    // (200, 100, 100): hue 0, saturation 0.5 -> bin 6, value 200 * 3 / 256 = 2
    assertEquals(bin(0, 6, 2), HsvHistogramDescriptor.bin(0xC86464));
    // (60, 30, 30): saturation 0.5 -> 6, value 60 * 3 / 256 = 0
    assertEquals(bin(0, 6, 0), HsvHistogramDescriptor.bin(0x3C1E1E));
  }

  @Test
  void solidColourLightsOneBinInEveryRegion() {
    float[] v = hsv.describe(solid(0x00FF00, 40, 30));
    assertEquals(1440, v.length);
    for (int region = 0; region < 5; region++) {
      for (int b = 0; b < BINS; b++) {
        assertEquals(b == bin(2, 11, 2) ? 1f : 0f, v[region * BINS + b], "region " + region + " bin " + b);
      }
    }
  }

  @Test
  void leftAndRightHalvesLandInTheirCornersAndShareTheCentre() {
    int w = 40, h = 30;
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = i % w < w / 2 ? 0x0000FF : 0xFFFF00;
    }
    float[] v = hsv.describe(ImageScaling.fromRgb(px, w, h));
    int blue = bin(5, 11, 2), yellow = bin(1, 11, 2);
    assertEquals(1f, v[HsvHistogramDescriptor.TOP_LEFT * BINS + blue]);
    assertEquals(1f, v[HsvHistogramDescriptor.BOTTOM_LEFT * BINS + blue]);
    assertEquals(1f, v[HsvHistogramDescriptor.TOP_RIGHT * BINS + yellow]);
    assertEquals(1f, v[HsvHistogramDescriptor.BOTTOM_RIGHT * BINS + yellow]);
    // the ellipse is symmetric about the vertical axis of an even-width image: half and half
    assertEquals(0.5f, v[HsvHistogramDescriptor.CENTRE * BINS + blue], 1e-6);
    assertEquals(0.5f, v[HsvHistogramDescriptor.CENTRE * BINS + yellow], 1e-6);
    for (int region = 0; region < 5; region++) {
      double sum = 0;
      for (int b = 0; b < BINS; b++) {
        sum += v[region * BINS + b];
      }
      assertEquals(1.0, sum, 1e-6, "region " + region + " sums to 1");
    }
  }

  @Test
  void regionsFollowTheEllipseAndQuadrants() {
    int w = 100, h = 80;
    assertEquals(HsvHistogramDescriptor.CENTRE, HsvHistogramDescriptor.region(50, 40, w, h));
    assertEquals(HsvHistogramDescriptor.TOP_LEFT, HsvHistogramDescriptor.region(0, 0, w, h));
    assertEquals(HsvHistogramDescriptor.TOP_RIGHT, HsvHistogramDescriptor.region(99, 0, w, h));
    assertEquals(HsvHistogramDescriptor.BOTTOM_RIGHT, HsvHistogramDescriptor.region(99, 79, w, h));
    assertEquals(HsvHistogramDescriptor.BOTTOM_LEFT, HsvHistogramDescriptor.region(0, 79, w, h));
    // semi-axes 37.5 and 30: (50 +- 37, 40) and (50, 40 +- 29) inside, a pixel further out is not
    assertEquals(HsvHistogramDescriptor.CENTRE, HsvHistogramDescriptor.region(86, 40, w, h));
    assertEquals(HsvHistogramDescriptor.TOP_RIGHT, HsvHistogramDescriptor.region(88, 39, w, h));
    assertEquals(HsvHistogramDescriptor.CENTRE, HsvHistogramDescriptor.region(50, 11, w, h));
    assertEquals(HsvHistogramDescriptor.TOP_LEFT, HsvHistogramDescriptor.region(49, 9, w, h));
  }

  @Test
  void chiSquaredBetweenTwoSolidColoursIsOnePerRegion() {
    float[] red = hsv.describe(solid(0xFF0000, 20, 20));
    float[] blue = hsv.describe(solid(0x0000FF, 20, 20));
    // each region: 1/2 (1^2/1 + 1^2/1) = 1; five regions
    assertEquals(5.0, Metric.CHI_SQUARED.score(red, blue), 1e-6);
    assertEquals(0.0, Metric.CHI_SQUARED.score(red, red), 0);
    assertEquals(10.0, Metric.L1.score(red, blue), 1e-6);
  }

  /** The integer bins are exactly floor(hue / 45), floor(12 s) and floor(3 v / 256) in exact arithmetic, for every colour. */
  @Test
  void binsAreExactForEveryColour() {
    for (int rgb = 0; rgb < 1 << 24; rgb++) {
      int r = rgb >> 16, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
      int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b)), delta = max - min;
      int h = 0;
      if (delta > 0) {
        // hue / 60 = num / delta; hue / 45 = 4 num / (3 delta), floored exactly with integers
        int num = max == r ? (g >= b ? g - b : 6 * delta + g - b) : max == g ? 2 * delta + b - r : 4 * delta + r - g;
        h = Math.min(7, Math.floorDiv(4 * num, 3 * delta));
      }
      int sat = max == 0 ? 0 : Math.min(11, Math.floorDiv(12 * delta, max));
      int expected = bin(h, sat, max * 3 / 256);
      int actual = HsvHistogramDescriptor.bin(rgb);
      if (actual != expected) {
        assertEquals(expected, actual, String.format("colour %06X", rgb));
      }
    }
  }

  /** Counting row by row (the ellipse's span found once per row) is counting every pixel by its region. */
  @Test
  void rowSpansCountEveryPixelInItsRegion() {
    java.util.Random rnd = new java.util.Random(5);
    for (int[] size : new int[][] {{1, 1}, {2, 1}, {1, 3}, {2, 2}, {3, 5}, {7, 4}, {40, 30}, {41, 31}, {64, 97}}) {
      int w = size[0], h = size[1];
      int[] px = new int[w * h];
      for (int i = 0; i < px.length; i++) {
        px[i] = rnd.nextInt(1 << 24);
      }
      double[] counts = new double[5 * BINS];
      int[] perRegion = new int[5];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int region = HsvHistogramDescriptor.region(x, y, w, h);
          counts[region * BINS + HsvHistogramDescriptor.bin(px[y * w + x])]++;
          perRegion[region]++;
        }
      }
      float[] v = hsv.describe(ImageScaling.fromRgb(px, w, h));
      for (int i = 0; i < v.length; i++) {
        float expected = perRegion[i / BINS] == 0 ? 0 : (float) (counts[i] / perRegion[i / BINS]);
        assertEquals(expected, v[i], 0, w + "x" + h + " element " + i);
      }
    }
  }

  @Test
  void specAndConfig() {
    assertEquals("hsv-hist", hsv.name());
    assertEquals(1440, hsv.dimension());
    assertEquals(List.of(Metric.CHI_SQUARED, Metric.L1), hsv.metrics());
    assertEquals("", HsvHistogramDescriptor.fromConfig("").config());
    assertThrows(IllegalArgumentException.class, () -> HsvHistogramDescriptor.fromConfig("bins=4"));
  }
}
