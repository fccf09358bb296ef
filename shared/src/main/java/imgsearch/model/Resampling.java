package imgsearch.model;

/**
 * The resampling filters of Pillow's {@code Image.resize}, which the reference preprocessing of the
 * catalogued models uses (torchvision's {@code Resize} on PIL images calls it). Both are antialiased:
 * when shrinking, the filter is stretched by the scale factor.
 */
public enum Resampling {
  /** Pillow's {@code BILINEAR}: the triangle filter, support 1. */
  BILINEAR(1.0),
  /** Pillow's {@code BICUBIC}: Keys' cubic convolution with a = -0.5, support 2. */
  BICUBIC(2.0);

  private final double support;

  Resampling(double support) {
    this.support = support;
  }

  /** Half-width of the filter at scale 1, in pixels. */
  public double support() {
    return support;
  }

  /** The filter's weight at distance {@code x} (in source pixels at scale 1). */
  public double weight(double x) {
    double d = Math.abs(x);
    return switch (this) {
      case BILINEAR -> d < 1.0 ? 1.0 - d : 0.0;
      case BICUBIC -> {
        double a = -0.5;
        if (d < 1.0) {
          yield ((a + 2.0) * d - (a + 3.0)) * d * d + 1.0;
        } else if (d < 2.0) {
          yield (((d - 5.0) * d + 8.0) * d - 4.0) * a;
        }
        yield 0.0;
      }
    };
  }
}
