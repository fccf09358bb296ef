package imgsearch.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model's input image is prepared, exactly as in the model's reference pipeline: resize so the
 * shorter side is {@code resizeShorterTo} (the longer side {@code int(resizeShorterTo * long / short)},
 * as torchvision computes it), cut a centred {@code crop x crop} square (offsets rounded half to even,
 * as torchvision's {@code CenterCrop} does), scale 8-bit RGB to [0,1] and normalise each channel as
 * {@code (x - mean) / std}. The result is laid out channel-first (CHW).
 *
 * @param resizeShorterTo target length of the shorter side
 * @param crop side of the centred square crop; at most {@code resizeShorterTo}
 * @param resampling resize filter
 * @param mean per-channel mean, R G B
 * @param std per-channel standard deviation, R G B
 */
public record ImagePreprocessing(int resizeShorterTo, int crop, Resampling resampling, float[] mean, float[] std) {

  /** CLIP's published normalisation (OpenAI CLIP, {@code clip/clip.py}). */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  /** CLIP's published normalisation (OpenAI CLIP, {@code clip/clip.py}). */
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
  /** The ImageNet statistics torchvision and the ONNX model zoo normalise with. */
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  /** The ImageNet statistics torchvision and the ONNX model zoo normalise with. */
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  public ImagePreprocessing {
    if (crop <= 0 || resizeShorterTo < crop) {
      throw new IllegalArgumentException("need 0 < crop <= resizeShorterTo, got crop " + crop + ", resize " + resizeShorterTo);
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

  /** Human-readable rule, e.g. {@code shorter side 224 (bicubic), centre crop 224, mean/std CLIP}. */
  public String describe() {
    return String.format(Locale.ROOT, "shorter side %d (%s), centre crop %d, mean %s, std %s", resizeShorterTo,
        resampling.name().toLowerCase(Locale.ROOT), crop, Arrays.toString(mean), Arrays.toString(std));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocessing p && p.resizeShorterTo == resizeShorterTo && p.crop == crop
        && p.resampling == resampling && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
  }

  @Override
  public int hashCode() {
    return (resizeShorterTo * 31 + crop) * 31 + resampling.hashCode() + 7 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ImagePreprocessing[" + describe() + "]";
  }
}
