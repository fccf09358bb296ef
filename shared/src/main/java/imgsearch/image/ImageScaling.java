package imgsearch.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Deterministic resizing and pixel access for descriptors. Everything here is plain Java arithmetic (no
 * Java2D rendering hints, no platform pipelines), so the same image gives the same pixels on every
 * machine.
 *
 * <p>Resizing is separable: an axis that shrinks is area-averaged (each output pixel is the exact mean of
 * the source area it covers, so no source pixel is skipped and there is no aliasing); an axis that grows
 * is interpolated bilinearly between pixel centres. The aspect ratio is not preserved: the output is
 * exactly the size asked for.
 */
public final class ImageScaling {
  private ImageScaling() {}

  private static final DirectColorModel RGB = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);

  /** The image as {@code TYPE_INT_RGB}: the image itself when it already is one, else a converted copy. */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    return fromRgb(rgb(image), image.getWidth(), image.getHeight());
  }

  /** Pixels as packed {@code 0xRRGGBB} ints, row by row (alpha, if any, is dropped). */
  public static int[] rgb(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    int[] out = new int[w * h];
    if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB) {
      // a straight copy of the raster rows, also correct for sub-images that share a larger raster
      image.getRaster().getDataElements(0, 0, w, h, out);
    } else {
      image.getRGB(0, 0, w, h, out, 0, w);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] &= 0xFFFFFF;
    }
    return out;
  }

  /**
   * The image's packed {@code 0xRRGGBB} pixels, row by row: the image's own array, not a copy, when it is a
   * whole {@code TYPE_INT_RGB} image (as the decoder makes), else a copy. Callers must not modify it.
   */
  public static int[] pixels(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
        && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
        && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0
        && image.getSampleModel() instanceof SinglePixelPackedSampleModel model
        && model.getScanlineStride() == image.getWidth()
        && buffer.getData().length == image.getWidth() * image.getHeight()) {
      return buffer.getData();
    }
    return rgb(image);
  }

  /** A {@code TYPE_INT_RGB} image around packed {@code 0xRRGGBB} pixels, row by row, without copying them. */
  public static BufferedImage wrap(int[] rgb, int width, int height) {
    if (rgb.length != width * height) {
      throw new IllegalArgumentException(rgb.length + " pixels do not make a " + width + "x" + height + " image");
    }
    WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(rgb, rgb.length), width, height, width,
        new int[] {0xFF0000, 0xFF00, 0xFF}, null);
    return new BufferedImage(RGB, raster, false, null);
  }

  /**
   * The image reduced by {@code divisor} (1, 2, 4 or 8, a power of two): each output pixel is the rounded mean of a
   * {@code divisor x divisor} block, blocks at the right and bottom edges clipped to the image, sides rounded
   * up, as libjpeg-turbo's DCT scaling sizes them. The image itself when {@code divisor} is 1.
   */
  public static BufferedImage reduce(BufferedImage image, int divisor) {
    if (divisor == 1) {
      return image;
    }
    if (divisor < 1 || Integer.bitCount(divisor) != 1) {
      throw new IllegalArgumentException("the divisor must be a power of two, was " + divisor);
    }
    int shift = Integer.numberOfTrailingZeros(divisor);
    int w = image.getWidth(), h = image.getHeight();
    int[] in = pixels(image);
    int ow = (w + divisor - 1) / divisor, oh = (h + divisor - 1) / divisor;
    int[] out = new int[ow * oh];
    int[] sums = new int[ow * 3];
    for (int oy = 0; oy < oh; oy++) {
      java.util.Arrays.fill(sums, 0);
      int y0 = oy * divisor, y1 = Math.min(h, y0 + divisor);
      for (int y = y0; y < y1; y++) {
        int row = y * w;
        for (int x = 0; x < w; x++) {
          int p = in[row + x];
          int o = (x >> shift) * 3;
          sums[o] += (p >> 16) & 0xFF;
          sums[o + 1] += (p >> 8) & 0xFF;
          sums[o + 2] += p & 0xFF;
        }
      }
      for (int ox = 0; ox < ow; ox++) {
        int n = (Math.min(w, ox * divisor + divisor) - ox * divisor) * (y1 - y0);
        int half = n / 2;
        out[oy * ow + ox] = ((sums[3 * ox] + half) / n) << 16 | ((sums[3 * ox + 1] + half) / n) << 8
            | ((sums[3 * ox + 2] + half) / n);
      }
    }
    return wrap(out, ow, oh);
  }

  /** A new {@code TYPE_INT_RGB} image holding packed {@code 0xRRGGBB} pixels, row by row. */
  public static BufferedImage fromRgb(int[] rgb, int width, int height) {
    if (rgb.length != width * height) {
      throw new IllegalArgumentException(rgb.length + " pixels do not make a " + width + "x" + height + " image");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb.length; i++) {
      data[i] = rgb[i] & 0xFFFFFF;
    }
    return image;
  }

  /** The image resized to exactly {@code width x height}, as a new {@code TYPE_INT_RGB} image. */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    return fromRgb(resize(rgb(image), image.getWidth(), image.getHeight(), width, height), width, height);
  }

  /** Packed RGB pixels of a {@code srcWidth x srcHeight} image resized to {@code width x height}. */
  public static int[] resize(int[] rgb, int srcWidth, int srcHeight, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("target size must be at least 1x1, was " + width + "x" + height);
    }
    if (srcWidth < 1 || srcHeight < 1 || rgb.length != srcWidth * srcHeight) {
      throw new IllegalArgumentException("not a " + srcWidth + "x" + srcHeight + " image: " + rgb.length + " pixels");
    }
    if (width == srcWidth && height == srcHeight) {
      return rgb.clone();
    }
    Kernel kx = Kernel.of(srcWidth, width);
    Kernel ky = Kernel.of(srcHeight, height);
    // horizontal pass: srcHeight rows of width x 3 channels
    float[] rows = new float[srcHeight * width * 3];
    for (int y = 0; y < srcHeight; y++) {
      int in = y * srcWidth, out = y * width * 3;
      for (int x = 0; x < width; x++) {
        float r = 0, g = 0, b = 0;
        int start = kx.start[x];
        float[] wts = kx.weights[x];
        for (int k = 0; k < wts.length; k++) {
          int p = rgb[in + start + k];
          float wt = wts[k];
          r += wt * ((p >> 16) & 0xFF);
          g += wt * ((p >> 8) & 0xFF);
          b += wt * (p & 0xFF);
        }
        rows[out + 3 * x] = r;
        rows[out + 3 * x + 1] = g;
        rows[out + 3 * x + 2] = b;
      }
    }
    // vertical pass
    int[] result = new int[width * height];
    float[] acc = new float[width * 3];
    for (int y = 0; y < height; y++) {
      Arrays.fill(acc, 0);
      int start = ky.start[y];
      float[] wts = ky.weights[y];
      for (int k = 0; k < wts.length; k++) {
        float wt = wts[k];
        int row = (start + k) * width * 3;
        for (int i = 0; i < acc.length; i++) {
          acc[i] += wt * rows[row + i];
        }
      }
      for (int x = 0; x < width; x++) {
        result[y * width + x] = (toByte(acc[3 * x]) << 16) | (toByte(acc[3 * x + 1]) << 8) | toByte(acc[3 * x + 2]);
      }
    }
    return result;
  }

  /** Luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B) of packed RGB pixels, 0..255. */
  public static float[] luma(int[] rgb) {
    float[] out = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      out[i] = 0.299f * ((p >> 16) & 0xFF) + 0.587f * ((p >> 8) & 0xFF) + 0.114f * (p & 0xFF);
    }
    return out;
  }

  /** The image in shades of grey (luma in all three channels), as a new {@code TYPE_INT_RGB} image. */
  public static BufferedImage toGrey(BufferedImage image) {
    float[] y = luma(rgb(image));
    int[] out = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      int v = toByte(y[i]);
      out[i] = (v << 16) | (v << 8) | v;
    }
    return fromRgb(out, image.getWidth(), image.getHeight());
  }

  /** The image mirrored left to right, as a new {@code TYPE_INT_RGB} image. */
  public static BufferedImage flipHorizontally(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    int[] in = rgb(image), out = new int[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = in[y * w + (w - 1 - x)];
      }
    }
    return fromRgb(out, w, h);
  }

  private static int toByte(float v) {
    int i = Math.round(v);
    return i < 0 ? 0 : Math.min(i, 255);
  }

  /** Per output pixel of one axis: the first source pixel and the weights of it and its successors. */
  private record Kernel(int[] start, float[][] weights) {

    static Kernel of(int src, int dst) {
      int[] start = new int[dst];
      float[][] weights = new float[dst][];
      if (dst == src) {
        for (int j = 0; j < dst; j++) {
          start[j] = j;
          weights[j] = new float[] {1f};
        }
      } else if (dst < src) {
        // area averaging: output j covers source [j * scale, (j + 1) * scale)
        double scale = (double) src / dst;
        for (int j = 0; j < dst; j++) {
          double lo = j * scale, hi = (j + 1) * scale;
          int first = (int) Math.floor(lo);
          int last = Math.min(src - 1, (int) Math.ceil(hi) - 1);
          float[] w = new float[last - first + 1];
          for (int i = first; i <= last; i++) {
            w[i - first] = (float) ((Math.min(hi, i + 1) - Math.max(lo, i)) / scale);
          }
          start[j] = first;
          weights[j] = w;
        }
      } else {
        // bilinear between pixel centres, edges clamped
        double scale = (double) src / dst;
        for (int j = 0; j < dst; j++) {
          double x = Math.max(0, Math.min(src - 1, (j + 0.5) * scale - 0.5));
          int i0 = Math.min((int) Math.floor(x), Math.max(0, src - 2));
          double t = x - i0;
          if (src == 1) {
            start[j] = 0;
            weights[j] = new float[] {1f};
          } else {
            start[j] = i0;
            weights[j] = new float[] {(float) (1 - t), (float) t};
          }
        }
      }
      return new Kernel(start, weights);
    }
  }
}
