package imgsearch.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model's input image is prepared, exactly as in the pipeline the model was evaluated with:
 * resize ({@link Resize}), cut a centred {@code crop x crop} square, scale 8-bit RGB to [0,1] and
 * normalise each channel as {@code (x - mean) / std}. The result is laid out channel-first (CHW).
 *
 * @param resize which sides are resized to {@code size}
 * @param size target length of the shorter side, or of both sides
 * @param crop side of the centred square crop; at most {@code size}
 * @param resampling resize filter
 * @param mean per-channel mean, R G B
 * @param std per-channel standard deviation, R G B
 */
public record ImagePreprocessing(Resize resize, int size, int crop, Resampling resampling, float[] mean,
    float[] std) {

  /** CLIP's published normalisation (OpenAI CLIP, {@code clip/clip.py}). */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  /** CLIP's published normalisation (OpenAI CLIP, {@code clip/clip.py}). */
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
  /** The ImageNet statistics torchvision and the ONNX model zoo normalise with. */
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  /** The ImageNet statistics torchvision and the ONNX model zoo normalise with. */
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  /** Which sides of the image are resized, and how the centre crop is then placed. */
  public enum Resize {
    /**
     * torchvision's {@code Resize(size)}: the shorter side becomes {@code size}, the longer one
     * {@code int(size * long / short)} (aspect ratio kept); its {@code CenterCrop} puts the crop at
     * {@code int(round((side - crop) / 2))}, rounding half to even.
     */
    SHORTER_SIDE,
    /**
     * MXNet Gluon's {@code transforms.Resize(size)} ({@code keep_ratio=False}, the default): both sides
     * become {@code size}, the aspect ratio is not kept; its {@code CenterCrop} puts the crop at
     * {@code int((side - crop) / 2)}.
     */
    BOTH_SIDES;

    /** Width and height of a {@code width x height} image after this resize to {@code size}. */
    public int[] resizedSize(int width, int height, int size) {
      if (this == BOTH_SIDES) {
        return new int[] {size, size};
      }
      if (width <= height) {
        return new int[] {size, (int) (size * (double) height / width)};
      }
      return new int[] {(int) (size * (double) width / height), size};
    }

    /** Offset of a centred {@code crop} within {@code side}, as this pipeline's centre crop computes it. */
    public int cropOffset(int side, int crop) {
      return this == BOTH_SIDES ? (side - crop) / 2 : (int) Math.rint((side - crop) / 2.0);
    }
  }

  public ImagePreprocessing {
    if (crop <= 0 || size < crop) {
      throw new IllegalArgumentException("need 0 < crop <= size, got crop " + crop + ", size " + size);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** Number of floats one image becomes: 3 x crop x crop. */
  public int tensorLength() {
    return 3 * crop * crop;
  }

  /**
   * Human-readable rule, e.g. {@code shorter side to 224 (Pillow bicubic), centre crop 224, mean [...],
   * std [...]}.
   */
  public String describe() {
    String resized = resize == Resize.BOTH_SIDES
        ? "both sides to " + size + " (aspect ratio not kept"
        : "shorter side to " + size + " (";
    return String.format(Locale.ROOT, "%s%s%s), centre crop %d, mean %s, std %s", resized,
        resize == Resize.BOTH_SIDES ? ", " : "", resampling.label(), crop, Arrays.toString(mean),
        Arrays.toString(std));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocessing p && p.resize == resize && p.size == size && p.crop == crop
        && p.resampling == resampling && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
  }

  @Override
  public int hashCode() {
    return ((resize.hashCode() * 31 + size) * 31 + crop) * 31 + resampling.hashCode() + 7 * Arrays.hashCode(mean)
        + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ImagePreprocessing[" + describe() + "]";
  }
}
