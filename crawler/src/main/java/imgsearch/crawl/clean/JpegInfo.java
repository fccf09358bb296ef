package imgsearch.crawl.clean;

import imgsearch.image.JpegSegments;
import java.util.Optional;

/**
 * What the headers of a JPEG say about colour and orientation, read from its markers without decoding: enough
 * to tell whether the original can be kept as it is (three-component YCbCr, upright) or must be re-encoded.
 *
 * @param components colour components of the frame: 1 grey, 3 YCbCr (or RGB), 4 CMYK/YCCK
 * @param orientation EXIF orientation 1..8 (1 when the Exif block has no readable tag), or 0 without an Exif block
 * @param adobeTransform the Adobe APP14 transform flag, or -1 without that marker (0 with 3 components: RGB)
 */
public record JpegInfo(int components, int orientation, int adobeTransform) {

  /** Three-component YCbCr, no rotation to apply: safe to keep byte for byte. */
  public boolean cleanRgb() {
    return components == 3 && (orientation == 0 || orientation == 1) && adobeTransform != 0;
  }

  /**
   * The header facts of {@code b}, or empty when it is not a JPEG whose segments lead intact to a scan after a
   * frame header.
   */
  public static Optional<JpegInfo> read(byte[] b) {
    if (!JpegSegments.isJpeg(b)) {
      return Optional.empty();
    }
    JpegSegments segments = JpegSegments.read(b);
    if (segments.components() < 0 || !segments.reachedScan()) {
      return Optional.empty();
    }
    return Optional.of(new JpegInfo(segments.components(), segments.orientation(), segments.adobeTransform()));
  }
}
