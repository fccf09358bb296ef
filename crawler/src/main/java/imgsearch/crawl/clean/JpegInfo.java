package imgsearch.crawl.clean;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the headers of a JPEG say about colour and orientation, read from its markers without decoding: enough
 * to tell whether the original can be kept as it is (three-component YCbCr, upright) or must be re-encoded.
 *
 * @param components colour components of the frame: 1 grey, 3 YCbCr (or RGB), 4 CMYK/YCCK
 * @param orientation EXIF orientation 1..8, or 0 when there is none
 * @param adobeTransform the Adobe APP14 transform flag, or -1 without that marker (0 with 3 components: RGB)
 */
public record JpegInfo(int components, int orientation, int adobeTransform) {

  /** Three-component YCbCr, no rotation to apply: safe to keep byte for byte. */
  public boolean cleanRgb() {
    return components == 3 && (orientation == 0 || orientation == 1) && adobeTransform != 0;
  }

  /** The header facts of {@code b}, or empty when it is not a JPEG with a frame header. */
  public static Optional<JpegInfo> read(byte[] b) {
    if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
      return Optional.empty();
    }
    int components = -1;
    int orientation = 0;
    int adobe = -1;
    int i = 2;
    while (i + 3 < b.length) {
      if ((b[i] & 0xff) != 0xFF) {
        return Optional.empty();
      }
      int marker = b[i + 1] & 0xff;
      if (marker == 0xFF) {
        i++;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        break;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
        continue;
      }
      int length = u16(b, i + 2);
      int data = i + 4;
      int end = i + 2 + length;
      if (length < 2 || end > b.length) {
        break;
      }
      if (marker == 0xE1 && startsWith(b, data, "Exif\0\0")) {
        orientation = exifOrientation(b, data + 6, end);
      } else if (marker == 0xEE && startsWith(b, data, "Adobe") && data + 11 < end) {
        adobe = b[data + 11] & 0xff;
      } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
          && data + 5 < end) {
        components = b[data + 5] & 0xff;
      }
      i = end;
    }
    return components < 0 ? Optional.empty() : Optional.of(new JpegInfo(components, orientation, adobe));
  }

  private static int exifOrientation(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) {
      return 0;
    }
    boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
    long ifd = tiff + u32(b, tiff + 4, little);
    if (ifd + 2 > end) {
      return 0;
    }
    int entries = u16(b, (int) ifd, little);
    for (int k = 0; k < entries; k++) {
      int e = (int) ifd + 2 + 12 * k;
      if (e + 12 > end) {
        break;
      }
      if (u16(b, e, little) == 0x0112) {
        int v = u16(b, e + 8, little);
        return v >= 1 && v <= 8 ? v : 0;
      }
    }
    return 0;
  }

  private static boolean startsWith(byte[] b, int at, String s) {
    byte[] p = s.getBytes(StandardCharsets.ISO_8859_1);
    if (at + p.length > b.length) {
      return false;
    }
    for (int k = 0; k < p.length; k++) {
      if (b[at + k] != p[k]) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int i) {
    return u16(b, i, false);
  }

  private static int u16(byte[] b, int i, boolean little) {
    int x = b[i] & 0xff;
    int y = b[i + 1] & 0xff;
    return little ? (y << 8) | x : (x << 8) | y;
  }

  private static long u32(byte[] b, int i, boolean little) {
    long hi = u16(b, little ? i + 2 : i, little);
    long lo = u16(b, little ? i : i + 2, little);
    return (hi << 16) | lo;
  }
}
