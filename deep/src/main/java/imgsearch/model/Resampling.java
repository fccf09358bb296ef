package imgsearch.model;

/**
 * The resize filters of the catalogued models' reference pipelines, each reproduced in 8-bit integer
 * arithmetic by {@link ImagePreprocessor}.
 */
public enum Resampling {
  /**
   * Pillow's {@code BILINEAR}: the triangle filter, support 1, antialiased (stretched by the scale
   * factor when shrinking), as torchvision's {@code Resize} on PIL images calls it.
   */
  PILLOW_BILINEAR(1.0, "Pillow bilinear"),
  /** Pillow's {@code BICUBIC}: Keys' cubic convolution with a = -0.5, support 2, antialiased like BILINEAR. */
  PILLOW_BICUBIC(2.0, "Pillow bicubic"),
  /**
   * OpenCV's {@code cv::resize} with {@code INTER_LINEAR}, which MXNet's image resize calls: the two
   * nearest source pixels on each axis (pixel centres aligned), no antialiasing, 11-bit fixed-point
   * weights. See {@link OpenCvBilinear}.
   */
  OPENCV_BILINEAR(1.0, "OpenCV bilinear, as MXNet");

  private final double support;
  private final String label;

  Resampling(double support, String label) {
    this.support = support;
    this.label = label;
  }

  /** Half-width of the filter at scale 1, in pixels. */
  public double support() {
    return support;
  }

  /** E.g. {@code Pillow bicubic}. */
  public String label() {
    return label;
  }

  /** Whether this is one of Pillow's antialiasing convolution filters ({@link #weight} applies). */
  public boolean isPillow() {
    return this != OPENCV_BILINEAR;
  }

  /** The filter's weight at distance {@code x} (in source pixels at scale 1). */
  public double weight(double x) {
    double d = Math.abs(x);
    return switch (this) {
      case PILLOW_BILINEAR, OPENCV_BILINEAR -> d < 1.0 ? 1.0 - d : 0.0;
      case PILLOW_BICUBIC -> {
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
