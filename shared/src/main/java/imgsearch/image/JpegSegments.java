package imgsearch.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a JPEG's segments before its first scan say, found in one pass over the bytes without decoding: the
 * frame size and colour components, the Exif block (for the orientation), the ICC profile and the Adobe
 * colour transform. This is the one JPEG marker walker: the decoder chooses its codec with it, and the
 * crawler decides with it whether a download can be kept byte for byte. A damaged header ends the walk:
 * what was found so far is returned ({@link #reachedScan} false), and a codec then says what is wrong.
 *
 * @param width the frame header's width, or 0 when no frame header comes before the first scan
 * @param height the frame header's height, or 0
 * @param components the frame header's colour components (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK), or -1
 * @param adobeTransform the APP14 "Adobe" segment's transform flag, or -1 without that segment (0 with three
 *     components means RGB)
 * @param exif the first APP1 "Exif" segment's payload, or null
 * @param iccProfile the APP2 "ICC_PROFILE" chunks joined in order, or null when there are none or some are
 *     missing
 * @param hasIccSegment whether any APP2 "ICC_PROFILE" segment was seen, complete profile or not
 * @param reachedScan whether the walk ended at a start-of-scan marker, every segment before it well formed
 */
public record JpegSegments(int width, int height, int components, int adobeTransform, byte[] exif,
    byte[] iccProfile, boolean hasIccSegment, boolean reachedScan) {

  private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);

  /** Whether the bytes start with a JPEG start-of-image marker. */
  public static boolean isJpeg(byte[] data) {
    return data.length >= 2 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8;
  }

  /** Walks the segments of {@code jpeg}, which must start with a start-of-image marker (see {@link #isJpeg}). */
  public static JpegSegments read(byte[] jpeg) {
    byte[] exif = null;
    byte[][] icc = null;
    boolean hasIcc = false;
    boolean reachedScan = false;
    int width = 0, height = 0, components = -1, adobe = -1;
    int at = 2; // after SOI
    while (at + 4 <= jpeg.length) {
      if ((jpeg[at] & 0xFF) != 0xFF) {
        break;
      }
      int marker = jpeg[at + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        at++;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image
        reachedScan = marker == 0xDA;
        break;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
        at += 2;
        continue;
      }
      int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
      int payload = at + 4;
      int end = at + 2 + length;
      if (length < 2 || end > jpeg.length) {
        break;
      }
      boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frame && length >= 7) {
        height = ((jpeg[payload + 1] & 0xFF) << 8) | (jpeg[payload + 2] & 0xFF);
        width = ((jpeg[payload + 3] & 0xFF) << 8) | (jpeg[payload + 4] & 0xFF);
        if (length >= 8) {
          components = jpeg[payload + 5] & 0xFF;
        }
      } else if (marker == 0xEE && startsWith(jpeg, payload, end, ADOBE) && payload + 11 < end) {
        adobe = jpeg[payload + 11] & 0xFF;
      } else if (marker == 0xE1 && exif == null && startsWith(jpeg, payload, end, EXIF)) {
        exif = java.util.Arrays.copyOfRange(jpeg, payload, end);
      } else if (marker == 0xE2 && startsWith(jpeg, payload, end, ICC)) {
        hasIcc = true;
        if (end - payload >= ICC.length + 2) {
          int sequence = jpeg[payload + ICC.length] & 0xFF;
          int count = jpeg[payload + ICC.length + 1] & 0xFF;
          if (icc == null && count > 0) {
            icc = new byte[count][];
          }
          if (icc != null && sequence >= 1 && sequence <= icc.length) {
            icc[sequence - 1] = java.util.Arrays.copyOfRange(jpeg, payload + ICC.length + 2, end);
          }
        }
      }
      at = end;
    }
    return new JpegSegments(width, height, components, adobe, exif, join(icc), hasIcc, reachedScan);
  }

  /**
   * The EXIF orientation, 1 to 8 (1 when the Exif block has no readable tag), or 0 when there is no Exif
   * segment.
   */
  public int orientation() {
    return exif == null ? 0 : ExifOrientation.orientationTag(exif);
  }

  private static byte[] join(byte[][] chunks) {
    if (chunks == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      if (chunk == null) {
        return null;
      }
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] data, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
