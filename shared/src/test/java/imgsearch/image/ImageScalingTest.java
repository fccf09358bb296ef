package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageScalingTest {

  @Test
  void shrinkingAveragesExactAreas() {
    // 3 pixels to 2: output 0 covers pixel 0 and half of pixel 1, output 1 the other half and pixel 2
    int[] out = ImageScaling.resize(new int[] {0x000000, 0x606060, 0xC0C0C0}, 3, 1, 2, 1);
    // (0 + 0.5 * 96) / 1.5 = 32 and (0.5 * 96 + 192) / 1.5 = 160
    assertArrayEquals(new int[] {0x202020, 0xA0A0A0}, out);
    // 2 x 2 to 1 x 1: the mean, rounded half up: red (126 + 126) / 4 = 63, green 254 / 4 = 63.5 -> 64
    assertArrayEquals(new int[] {0x3F4000}, ImageScaling.resize(new int[] {0x7EFE00, 0, 0, 0x7E0000}, 2, 2, 1, 1));
  }

  @Test
  void growingInterpolatesBetweenPixelCentres() {
    // 2 pixels to 4: centres at 0.25 and 0.75 of the way: edges clamp, inner ones are 1/4 and 3/4 mixes
    int[] out = ImageScaling.resize(new int[] {0x000000, 0x808080}, 2, 1, 4, 1);
    assertArrayEquals(new int[] {0x000000, 0x202020, 0x606060, 0x808080}, out);
    int[] flat = new int[9];
    Arrays.fill(flat, 0x123456);
    int[] big = ImageScaling.resize(flat, 3, 3, 7, 5);
    for (int p : big) {
      assertEquals(0x123456, p);
    }
  }

  @Test
  void exactSizeCopiesAndAnySizeIsReached() {
    int[] px = {1, 2, 3, 4, 5, 6};
    assertArrayEquals(px, ImageScaling.resize(px, 3, 2, 3, 2));
    BufferedImage img = ImageScaling.resize(new BufferedImage(300, 17, BufferedImage.TYPE_INT_RGB), 224, 224);
    assertEquals(224, img.getWidth());
    assertEquals(224, img.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
    assertThrows(IllegalArgumentException.class, () -> ImageScaling.resize(px, 3, 2, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> ImageScaling.resize(px, 4, 2, 2, 2));
  }

  /**
   * Resizing gives, bit for bit, the textbook sums below (rows first, each sum in source order from 0, then
   * rounded half up) for every kind of axis: kept, grown, shrunk by less or more than twice, to or from 1 pixel.
   * It guards any faster way of resizing, which must not move a single descriptor value.
   */
  @Test
  void everySizeGivesTheTextbookSumsExactly() {
    java.util.Random rnd = new java.util.Random(11);
    int[] sides = {1, 2, 3, 5, 7, 16, 33, 64, 100, 127, 224, 250};
    for (int srcW : sides) {
      for (int dstW : sides) {
        int srcH = 1 + rnd.nextInt(40), dstH = 1 + rnd.nextInt(40);
        int[] src = new int[srcW * srcH];
        for (int i = 0; i < src.length; i++) {
          src[i] = rnd.nextInt(1 << 24);
        }
        assertArrayEquals(textbookResize(src, srcW, srcH, dstW, dstH), ImageScaling.resize(src, srcW, srcH, dstW, dstH),
            srcW + "x" + srcH + " -> " + dstW + "x" + dstH);
      }
    }
  }

  private static int[] textbookResize(int[] src, int srcW, int srcH, int dstW, int dstH) {
    if (srcW == dstW && srcH == dstH) {
      return src.clone();
    }
    float[][] wx = weights(srcW, dstW), wy = weights(srcH, dstH);
    int[] fx = firsts(srcW, dstW), fy = firsts(srcH, dstH);
    int[] out = new int[dstW * dstH];
    for (int oy = 0; oy < dstH; oy++) {
      for (int ox = 0; ox < dstW; ox++) {
        int pixel = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          float v = 0;
          for (int ky = 0; ky < wy[oy].length; ky++) {
            float h = 0;
            for (int kx = 0; kx < wx[ox].length; kx++) {
              h += wx[ox][kx] * ((src[(fy[oy] + ky) * srcW + fx[ox] + kx] >> shift) & 0xFF);
            }
            v += wy[oy][ky] * h;
          }
          pixel |= Math.max(0, Math.min((int) (v + 0.5f), 255)) << shift;
        }
        out[oy * dstW + ox] = pixel;
      }
    }
    return out;
  }

  /** Area averaging when shrinking, bilinear between pixel centres (edges clamped) when growing. */
  private static float[][] weights(int src, int dst) {
    float[][] w = new float[dst][];
    double scale = (double) src / dst;
    for (int j = 0; j < dst; j++) {
      if (dst < src) {
        double lo = j * scale, hi = (j + 1) * scale;
        int first = (int) Math.floor(lo), last = Math.min(src - 1, (int) Math.ceil(hi) - 1);
        w[j] = new float[last - first + 1];
        for (int i = first; i <= last; i++) {
          w[j][i - first] = (float) ((Math.min(hi, i + 1) - Math.max(lo, i)) / scale);
        }
      } else if (src == 1 || src == dst) {
        w[j] = new float[] {1f};
      } else {
        double x = Math.max(0, Math.min(src - 1, (j + 0.5) * scale - 0.5));
        double t = x - Math.min((int) Math.floor(x), src - 2);
        w[j] = new float[] {(float) (1 - t), (float) t};
      }
    }
    return w;
  }

  private static int[] firsts(int src, int dst) {
    int[] first = new int[dst];
    double scale = (double) src / dst;
    for (int j = 0; j < dst; j++) {
      if (dst < src) {
        first[j] = (int) Math.floor(j * scale);
      } else if (src == 1 || src == dst) {
        first[j] = src == 1 ? 0 : j;
      } else {
        first[j] = Math.min((int) Math.floor(Math.max(0, Math.min(src - 1, (j + 0.5) * scale - 0.5))), src - 2);
      }
    }
    return first;
  }

  @Test
  void pixelsOfSubImagesAndOtherTypes() {
    BufferedImage img = ImageScaling.fromRgb(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
    assertArrayEquals(new int[] {5, 6, 8, 9}, ImageScaling.rgb(img.getSubimage(1, 1, 2, 2)));
    BufferedImage bgr = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0xFF102030);
    bgr.setRGB(1, 0, 0xFFA0B0C0);
    assertArrayEquals(new int[] {0x102030, 0xA0B0C0}, ImageScaling.rgb(bgr));
    assertEquals(BufferedImage.TYPE_INT_RGB, ImageScaling.toRgb(bgr).getType());
  }

  @Test
  void greyAndMirror() {
    BufferedImage img = ImageScaling.fromRgb(new int[] {0xFF0000, 0x00FF00, 0x0000FF}, 3, 1);
    // luma 0.299 * 255 = 76.2, 0.587 * 255 = 149.7, 0.114 * 255 = 29.1
    assertArrayEquals(new float[] {76.245f, 149.685f, 29.07f}, ImageScaling.luma(ImageScaling.rgb(img)), 1e-3f);
    assertArrayEquals(new int[] {0x4C4C4C, 0x969696, 0x1D1D1D}, ImageScaling.rgb(ImageScaling.toGrey(img)));
    assertArrayEquals(new int[] {0x0000FF, 0x00FF00, 0xFF0000}, ImageScaling.rgb(ImageScaling.flipHorizontally(img)));
  }
}
