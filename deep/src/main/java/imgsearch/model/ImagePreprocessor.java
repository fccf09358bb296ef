package imgsearch.model;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns an image into a model's input tensor following an {@link ImagePreprocessing} rule, in plain
 * Java arithmetic. Each resize filter reproduces, in 8-bit integer arithmetic, the library the model's
 * reference pipeline ran on its evaluation images: Pillow's two-pass resampling (horizontal pass, then
 * vertical, each rounded to 8 bits with 22-bit fixed-point weights) for torchvision pipelines, OpenCV's
 * {@code INTER_LINEAR} ({@link OpenCvBilinear}) for MXNet ones. Only the pixels inside the centre crop
 * are computed.
 */
public final class ImagePreprocessor {

  /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
  private static final int PRECISION_BITS = 22;

  private ImagePreprocessor() {}

  /**
   * Writes the CHW tensor of {@code image} into {@code out} starting at {@code offset}; exactly
   * {@link ImagePreprocessing#tensorLength()} floats are written.
   */
  public static void toTensor(BufferedImage image, ImagePreprocessing rule, float[] out, int offset) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] size = rule.resize().resizedSize(w, h, rule.size());
    int crop = rule.crop();
    int left = rule.resize().cropOffset(size[0], crop);
    int top = rule.resize().cropOffset(size[1], crop);
    int[] rgb = resizeWindow(pixels(image), w, h, size[0], size[1], left, top, crop, crop, rule.resampling());
    float[] mean = rule.mean();
    float[] std = rule.std();
    int plane = crop * crop;
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[offset + i] = (((p >> 16) & 0xff) / 255f - mean[0]) / std[0];
      out[offset + plane + i] = (((p >> 8) & 0xff) / 255f - mean[1]) / std[1];
      out[offset + 2 * plane + i] = ((p & 0xff) / 255f - mean[2]) / std[2];
    }
  }

  /** The tensor of one image, {@link ImagePreprocessing#tensorLength()} floats. */
  public static float[] toTensor(BufferedImage image, ImagePreprocessing rule) {
    float[] out = new float[rule.tensorLength()];
    toTensor(image, rule, out, 0);
    return out;
  }

  /**
   * Resizes {@code src} (packed RGB, {@code srcW x srcH}) to {@code dstW x dstH} with {@code filter}'s
   * library algorithm and returns only the window {@code [left, left + winW) x [top, top + winH)} of the
   * result, packed RGB, row by row.
   */
  public static int[] resizeWindow(int[] src, int srcW, int srcH, int dstW, int dstH, int left, int top, int winW,
      int winH, Resampling filter) {
    if (left < 0 || top < 0 || left + winW > dstW || top + winH > dstH) {
      throw new IllegalArgumentException("window outside the resized image");
    }
    if (!filter.isPillow()) {
      return OpenCvBilinear.resizeWindow(src, srcW, srcH, dstW, dstH, left, top, winW, winH);
    }
    return pillowResizeWindow(src, srcW, srcH, dstW, dstH, left, top, winW, winH, filter);
  }

  /** Pillow's {@code ImagingResample}: a horizontal pass over the rows the window needs, then a vertical one. */
  private static int[] pillowResizeWindow(int[] src, int srcW, int srcH, int dstW, int dstH, int left, int top,
      int winW, int winH, Resampling filter) {
    Coefficients horizontal = dstW == srcW ? null : Coefficients.of(srcW, dstW, filter);
    Coefficients vertical = dstH == srcH ? null : Coefficients.of(srcH, dstH, filter);

    // Source rows the vertical pass will read for the window's rows.
    int firstRow = vertical == null ? top : vertical.first(top);
    int lastRow = vertical == null ? top + winH : vertical.end(top + winH - 1);
    int rows = lastRow - firstRow;

    // Horizontal pass over the needed rows, only for the window's columns.
    int[] temp;
    if (horizontal == null) {
      temp = new int[rows * winW];
      for (int y = 0; y < rows; y++) {
        System.arraycopy(src, (firstRow + y) * srcW + left, temp, y * winW, winW);
      }
    } else {
      temp = new int[rows * winW];
      for (int y = 0; y < rows; y++) {
        int rowStart = (firstRow + y) * srcW;
        for (int x = 0; x < winW; x++) {
          temp[y * winW + x] = horizontal.apply(src, rowStart, 1, left + x);
        }
      }
    }
    if (vertical == null) {
      return temp;
    }
    int[] out = new int[winW * winH];
    for (int y = 0; y < winH; y++) {
      for (int x = 0; x < winW; x++) {
        // temp row r holds source row firstRow + r, so shift the vertical taps by firstRow.
        out[y * winW + x] = vertical.apply(temp, x - firstRow * winW, winW, top + y);
      }
    }
    return out;
  }

  /** Packed 0xRRGGBB pixels of an image, without copying when it is a plain {@code TYPE_INT_RGB} image. */
  static int[] pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
        && image.getSampleModel() instanceof SinglePixelPackedSampleModel model
        && model.getScanlineStride() == w && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
        && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0
        && buffer.getData().length == w * h) {
      return buffer.getData();
    }
    return image.getRGB(0, 0, w, h, null, 0, w);
  }

  /**
   * Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc}: for each output position the
   * first source index, the number of taps and their fixed-point weights.
   */
  private record Coefficients(int[] start, int[] count, int[] weights, int kernelSize) {

    static Coefficients of(int inSize, int outSize, Resampling filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filter.support() * filterScale;
      int kernelSize = (int) Math.ceil(support) * 2 + 1;
      int[] start = new int[outSize];
      int[] count = new int[outSize];
      int[] weights = new int[outSize * kernelSize];
      double[] k = new double[kernelSize];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; x++) {
          k[x] = filter.weight((x + xmin - center + 0.5) * ss);
          ww += k[x];
        }
        for (int x = 0; x < xmax; x++) {
          double normalised = ww != 0.0 ? k[x] / ww : k[x];
          weights[xx * kernelSize + x] = normalised < 0
              ? (int) (-0.5 + normalised * (1 << PRECISION_BITS))
              : (int) (0.5 + normalised * (1 << PRECISION_BITS));
        }
        start[xx] = xmin;
        count[xx] = xmax;
      }
      return new Coefficients(start, count, weights, kernelSize);
    }

    /** First source index read for output position {@code i}. */
    int first(int i) {
      return start[i];
    }

    /** One past the last source index read for output position {@code i}. */
    int end(int i) {
      return start[i] + count[i];
    }

    /**
     * Output pixel {@code i} from source pixels at {@code base + (start + t) * stride}, t = 0..count-1,
     * rounded and clipped to 8 bits per channel as Pillow does.
     */
    int apply(int[] src, int base, int stride, int i) {
      int r = 1 << (PRECISION_BITS - 1);
      int g = r;
      int b = r;
      int kOffset = i * kernelSize;
      int index = base + start[i] * stride;
      for (int t = 0; t < count[i]; t++, index += stride) {
        int p = src[index];
        int w = weights[kOffset + t];
        r += ((p >> 16) & 0xff) * w;
        g += ((p >> 8) & 0xff) * w;
        b += (p & 0xff) * w;
      }
      return clip8(r) << 16 | clip8(g) << 8 | clip8(b);
    }

    private static int clip8(int value) {
      if (value >= (1 << PRECISION_BITS << 8)) {
        return 255;
      }
      if (value <= 0) {
        return 0;
      }
      return value >> PRECISION_BITS;
    }
  }
}
