package imgsearch.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.ArrayDeque;
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
    int w = image.getWidth(), h = image.getHeight();
    int[] in = pixels(image);
    int ow = (w + divisor - 1) / divisor, oh = (h + divisor - 1) / divisor;
    int[] out = new int[ow * oh];
    // Sums two channels to an int, red and blue in 16-bit halves (64 x 255 fits), green apart: first down the
    // columns of a band of rows (a loop the JIT vectorises), then across each block of the band.
    int[] redBlue = new int[w];
    int[] green = new int[w];
    int whole = divisor * divisor;
    int shift = 2 * Integer.numberOfTrailingZeros(divisor);
    for (int oy = 0; oy < oh; oy++) {
      int y0 = oy * divisor, y1 = Math.min(h, y0 + divisor);
      sumBand(in, w, y0, y1, redBlue, green);
      emitBlocks(redBlue, green, w, divisor, y1 - y0, out, oy * ow, ow, whole, shift);
    }
    return wrap(out, ow, oh);
  }

  private static void sumBand(int[] in, int w, int y0, int y1, int[] redBlue, int[] green) {
    Arrays.fill(redBlue, 0);
    Arrays.fill(green, 0);
    for (int y = y0; y < y1; y++) {
      addColumns(in, y * w, w, redBlue, green);
    }
  }

  private static void addColumns(int[] in, int row, int w, int[] redBlue, int[] green) {
    for (int x = 0; x < w; x++) {
      int p = in[row + x];
      redBlue[x] += p & 0xFF00FF;
      green[x] += p & 0xFF00;
    }
  }

  /** The band's block means: sums across each block of columns, divided (by shifting, for whole blocks). */
  private static void emitBlocks(int[] redBlue, int[] green, int w, int divisor, int rows, int[] out, int at, int ow,
      int whole, int shift) {
    for (int ox = 0; ox < ow; ox++) {
      int x0 = ox * divisor, x1 = Math.min(w, x0 + divisor);
      int rb = 0, g = 0;
      for (int x = x0; x < x1; x++) {
        rb += redBlue[x];
        g += green[x];
      }
      int n = (x1 - x0) * rows;
      int half = n / 2;
      if (n == whole) {
        out[at + ox] = (((rb >>> 16) + half) >> shift) << 16 | (((g >>> 8) + half) >> shift) << 8
            | (((rb & 0xFFFF) + half) >> shift);
      } else {
        out[at + ox] = (((rb >>> 16) + half) / n) << 16 | (((g >>> 8) + half) / n) << 8 | (((rb & 0xFFFF) + half) / n);
      }
    }
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
    RowTargets targets = RowTargets.of(Kernel.of(srcHeight, height), srcHeight, height);
    // One pass down the source: each row is unpacked and resampled horizontally once, then added to the
    // (at most a few) output rows it covers; an output row is written out as soon as its last row is in.
    // Every loop is a small method of its own: the JIT compiles each once, instead of compiling this whole
    // method again (on stack replacement) for each of its loops that gets hot.
    int[] result = new int[width * height];
    int[] rowsLeft = targets.rowsPerTarget();
    float[][] pending = new float[height][];
    // Output rows being summed are few at any time (those the current source row covers): their arrays are
    // reused as rows complete, instead of one new array per output row (most of what indexing allocated).
    ArrayDeque<float[]> spare = new ArrayDeque<>();
    float[] r = new float[srcWidth], g = new float[srcWidth], b = new float[srcWidth];
    float[] row = new float[3 * width];
    for (int y = 0; y < srcHeight; y++) {
      if (targets.first[y] == targets.first[y + 1]) {
        continue;
      }
      unpack(rgb, y * srcWidth, srcWidth, r, g, b);
      resampleRow(kx, r, g, b, row, width);
      addToTargets(targets, y, row, pending, spare, rowsLeft, result, width);
    }
    return result;
  }

  /** Adds a resampled source row to the output rows it covers; writes out those it completes. */
  private static void addToTargets(RowTargets targets, int y, float[] row, float[][] pending, ArrayDeque<float[]> spare,
      int[] rowsLeft, int[] result, int width) {
    for (int t = targets.first[y]; t < targets.first[y + 1]; t++) {
      int out = targets.row[t];
      float[] acc = pending[out];
      if (acc == null) {
        acc = spare.poll();
        if (acc == null) {
          acc = new float[3 * width];
        } else {
          Arrays.fill(acc, 0f);
        }
        pending[out] = acc;
      }
      addScaled(acc, row, targets.weight[t]);
      if (--rowsLeft[out] == 0) {
        pack(acc, result, out * width, width);
        pending[out] = null;
        spare.push(acc);
      }
    }
  }

  /**
   * The vertical kernel inverted: for source row {@code y}, the output rows it contributes to are
   * {@code row[first[y] .. first[y + 1])}, with weights {@code weight[...]}.
   */
  private record RowTargets(int[] first, int[] row, float[] weight, int height) {

    static RowTargets of(Kernel ky, int srcHeight, int height) {
      int[] first = new int[srcHeight + 1];
      countSources(ky, height, first);
      for (int i = 0; i < srcHeight; i++) {
        first[i + 1] += first[i];
      }
      int[] row = new int[first[srcHeight]];
      float[] weight = new float[first[srcHeight]];
      fill(ky, height, first.clone(), row, weight);
      return new RowTargets(first, row, weight, height);
    }

    private static void countSources(Kernel ky, int height, int[] count) {
      for (int y = 0; y < height; y++) {
        for (int k = ky.offset[y]; k < ky.offset[y + 1]; k++) {
          count[ky.start[y] + k - ky.offset[y] + 1]++;
        }
      }
    }

    private static void fill(Kernel ky, int height, int[] next, int[] row, float[] weight) {
      for (int y = 0; y < height; y++) {
        for (int k = ky.offset[y]; k < ky.offset[y + 1]; k++) {
          int source = ky.start[y] + k - ky.offset[y];
          row[next[source]] = y;
          weight[next[source]++] = ky.weights[k];
        }
      }
    }

    /** How many source rows each output row takes. */
    int[] rowsPerTarget() {
      int[] n = new int[height];
      for (int t = 0; t < row.length; t++) {
        n[row[t]]++;
      }
      return n;
    }
  }

  private static void unpack(int[] rgb, int from, int n, float[] r, float[] g, float[] b) {
    for (int x = 0; x < n; x++) {
      int p = rgb[from + x];
      r[x] = (p >> 16) & 0xFF;
      g[x] = (p >> 8) & 0xFF;
      b[x] = p & 0xFF;
    }
  }

  /** One row resampled horizontally into {@code row}: red, then green, then blue, {@code width} each. */
  private static void resampleRow(Kernel kx, float[] r, float[] g, float[] b, float[] row, int width) {
    int[] start = kx.start, offset = kx.offset;
    float[] weights = kx.weights;
    for (int x = 0; x < width; x++) {
      int first = start[x], from = offset[x], to = offset[x + 1];
      float sr = 0, sg = 0, sb = 0;
      for (int k = from; k < to; k++) {
        float wt = weights[k];
        int i = first + k - from;
        sr += wt * r[i];
        sg += wt * g[i];
        sb += wt * b[i];
      }
      row[x] = sr;
      row[width + x] = sg;
      row[2 * width + x] = sb;
    }
  }

  private static void addScaled(float[] acc, float[] row, float weight) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += weight * row[i];
    }
  }

  private static void pack(float[] acc, int[] result, int at, int width) {
    for (int x = 0; x < width; x++) {
      result[at + x] = (toByte(acc[x]) << 16) | (toByte(acc[width + x]) << 8) | toByte(acc[2 * width + x]);
    }
  }

  /**
   * The image {@link #reduce reduced} by the largest power of two (up to 8) that keeps its shorter side at
   * least {@code minSide}: what the decoder delivers for that side from the full-size image, and nearly
   * what it delivers from an image it already reduced less. The image itself when no reduction fits.
   */
  public static BufferedImage reduceTo(BufferedImage image, int minSide) {
    int shorter = Math.min(image.getWidth(), image.getHeight());
    int divisor = 1;
    while (divisor < 8 && (shorter + 2 * divisor - 1) / (2 * divisor) >= minSide) {
      divisor *= 2;
    }
    return reduce(image, divisor);
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

  /**
   * v rounded half up and clamped to 0..255 (0 for NaN). A cast and two clamps, no branch: the JIT turns
   * {@link #pack}'s loop into vector instructions (a branch on {@code v < 0} kept it scalar, and a third of
   * the time of resizing a photo for {@code pixels} went here). The same result as rounding first and then
   * returning 0 for negative v: any v below 0 casts to 0 or less.
   */
  private static int toByte(float v) {
    return Math.max(0, Math.min((int) (v + 0.5f), 255));
  }

  /**
   * Per output pixel {@code j} of one axis: the first source pixel {@code start[j]} and the weights of it and
   * its successors, {@code weights[offset[j] .. offset[j + 1])}.
   */
  private record Kernel(int[] start, int[] offset, float[] weights) {

    static Kernel of(int src, int dst) {
      int[] start = new int[dst];
      float[][] taps = new float[dst][];
      if (dst == src) {
        for (int j = 0; j < dst; j++) {
          start[j] = j;
          taps[j] = new float[] {1f};
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
          taps[j] = w;
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
            taps[j] = new float[] {1f};
          } else {
            start[j] = i0;
            taps[j] = new float[] {(float) (1 - t), (float) t};
          }
        }
      }
      int[] offset = new int[dst + 1];
      for (int j = 0; j < dst; j++) {
        offset[j + 1] = offset[j] + taps[j].length;
      }
      float[] weights = new float[offset[dst]];
      for (int j = 0; j < dst; j++) {
        System.arraycopy(taps[j], 0, weights, offset[j], taps[j].length);
      }
      return new Kernel(start, offset, weights);
    }
  }
}
