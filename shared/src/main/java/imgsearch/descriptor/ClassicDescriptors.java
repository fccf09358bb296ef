package imgsearch.descriptor;

import java.util.List;

/**
 * The descriptors that need no model: {@code pixels}, {@code hsv-hist}, {@code edge-colour} and {@code phash}.
 * How they compare on near-duplicates is in docs/near-duplicates.md; {@code phash} is the crawler's hash, for
 * {@code imgsearch duplicates} (docs/duplicates.md).
 */
public final class ClassicDescriptors {
  private ClassicDescriptors() {}

  /** A new registry holding the classic descriptors. */
  public static DescriptorRegistry registry() {
    return new DescriptorRegistry()
        .register(PixelsDescriptor.NAME,
            "the image resized to N x N RGB (config size=N, default 224); correlation, cosine, L1 or L2",
            PixelsDescriptor::fromConfig)
        .register(HsvHistogramDescriptor.NAME,
            "HSV colour histogram (8 x 12 x 3 bins) over four corners and a central ellipse; chi-squared or L1",
            HsvHistogramDescriptor::fromConfig)
        .register(EdgeColourDescriptor.NAME,
            "mirror-symmetric edge-orientation pyramid, brightness layout, hue and contrast histograms (144 values), "
                + "letterbox borders cut; dot product; finds near-duplicates: crops, other cuts, rescaling, JPEG, flips, "
                + "grey copies, brightness, captions, padding",
            EdgeColourDescriptor::fromConfig)
        .register(PerceptualHashDescriptor.NAME,
            "the crawler's 64-bit perceptual hash as 0/1 values; L1 = differing bits; copies, rescaling, recompression",
            PerceptualHashDescriptor::fromConfig);
  }

  /**
   * The descriptors {@code imgsearch index} computes when none are named: every classic one but {@code phash},
   * which reads the full-size photo (to give the crawler's very hashes) while the others read it decoded at a
   * fraction of its size; it is added with {@code --descriptors phash} for {@code duplicates --descriptor phash}.
   */
  public static List<String> defaults() {
    return List.of(PixelsDescriptor.NAME, HsvHistogramDescriptor.NAME, EdgeColourDescriptor.NAME);
  }

  /** The names {@link #registry()} registers, in its order. */
  public static List<String> names() {
    return List.of(PixelsDescriptor.NAME, HsvHistogramDescriptor.NAME, EdgeColourDescriptor.NAME,
        PerceptualHashDescriptor.NAME);
  }
}
