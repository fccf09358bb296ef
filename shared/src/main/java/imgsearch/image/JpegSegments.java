package imgsearch.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the decoder needs from a JPEG's segments before its first scan, found in one pass over the bytes:
 * the frame size, the Exif block (for the orientation) and the ICC profile (for the colours). A damaged
 * header ends the walk: what was found so far is returned, and the codec then says what is wrong.
 *
 * @param width the frame header's width, or 0 when no frame header comes before the first scan
 * @param height the frame header's height, or 0
 * @param exif the first APP1 "Exif" segment's payload, or null
 * @param iccProfile the APP2 "ICC_PROFILE" chunks joined in order, or null when there are none or some are
 *     missing
 */
record JpegSegments(int width, int height, byte[] exif, byte[] iccProfile) {

  private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

  static JpegSegments read(byte[] jpeg) {
    byte[] exif = null;
    byte[][] icc = null;
    int width = 0, height = 0;
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
      } else if (marker == 0xE1 && exif == null && startsWith(jpeg, payload, end, EXIF)) {
        exif = java.util.Arrays.copyOfRange(jpeg, payload, end);
      } else if (marker == 0xE2 && startsWith(jpeg, payload, end, ICC) && end - payload >= ICC.length + 2) {
        int sequence = jpeg[payload + ICC.length] & 0xFF;
        int count = jpeg[payload + ICC.length + 1] & 0xFF;
        if (icc == null && count > 0) {
          icc = new byte[count][];
        }
        if (icc != null && sequence >= 1 && sequence <= icc.length) {
          icc[sequence - 1] = java.util.Arrays.copyOfRange(jpeg, payload + ICC.length + 2, end);
        }
      }
      at = end;
    }
    return new JpegSegments(width, height, exif, join(icc));
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
