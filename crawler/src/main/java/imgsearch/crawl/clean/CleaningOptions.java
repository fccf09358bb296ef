package imgsearch.crawl.clean;

import imgsearch.descriptor.PerceptualHash;

/**
 * What the cleaning step drops.
 *
 * @param minWidth narrowest image kept, in pixels (after EXIF rotation)
 * @param minHeight lowest image kept, in pixels
 * @param maxAspectRatio longest side over shortest side allowed (e.g. 4: banners and strips are dropped)
 * @param minLumaStdDev images whose luminance standard deviation (0..255) is below this are blank
 * @param nearDuplicateDistance largest Hamming distance between two 64-bit perceptual hashes that still
 *     counts as the same picture
 * @param splitGroupDistance images of one class within this distance of each other always land in the same
 *     split, so that look-alikes never straddle train and test
 * @param jpegQuality quality of re-encoded JPEGs, 0..1
 */
public record CleaningOptions(int minWidth, int minHeight, double maxAspectRatio, double minLumaStdDev,
    int nearDuplicateDistance, int splitGroupDistance, float jpegQuality) {

  public CleaningOptions {
    if (minWidth < 1 || minHeight < 1 || maxAspectRatio < 1 || minLumaStdDev < 0) {
      throw new IllegalArgumentException("minimum size must be positive and the aspect ratio limit at least 1");
    }
    if (nearDuplicateDistance < 0 || nearDuplicateDistance > 64 || splitGroupDistance < nearDuplicateDistance
        || splitGroupDistance > 64) {
      throw new IllegalArgumentException("hash distances must be in 0..64, the split one not below the duplicate one");
    }
    if (!(jpegQuality > 0 && jpegQuality <= 1)) {
      throw new IllegalArgumentException("JPEG quality must be in (0, 1]");
    }
  }

  /**
   * 100x100 at least, aspect at most 4:1, blank below a luminance spread of 4, duplicates within
   * {@link PerceptualHash#NEAR_DUPLICATE_BITS} (6) bits of 64, look-alikes (kept together in one split) within 12.
   */
  public static CleaningOptions defaults() {
    return new CleaningOptions(100, 100, 4.0, 4.0, PerceptualHash.NEAR_DUPLICATE_BITS, 12, 0.92f);
  }

  public CleaningOptions withMinSize(int width, int height) {
    return new CleaningOptions(width, height, maxAspectRatio, minLumaStdDev, nearDuplicateDistance,
        splitGroupDistance, jpegQuality);
  }
}
