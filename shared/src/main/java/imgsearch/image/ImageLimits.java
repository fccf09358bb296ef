package imgsearch.image;

/**
 * Limits checked before an image is decoded, so that a hostile or broken file cannot exhaust memory.
 *
 * @param maxBytes largest encoded file accepted
 * @param maxPixels largest width x height accepted, read from the header before decoding
 *     (decompression bombs are refused without allocating their pixels)
 */
public record ImageLimits(long maxBytes, long maxPixels) {

  /** 50 MB and 100 megapixels: every ordinary photo, nothing absurd. */
  public static final ImageLimits DEFAULT = new ImageLimits(50L << 20, 100_000_000L);

  public ImageLimits {
    if (maxBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("image limits must be positive");
    }
  }
}
