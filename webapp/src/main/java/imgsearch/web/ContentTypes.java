package imgsearch.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The content type of an image file, from its first bytes (file names can lie). */
final class ContentTypes {
  private ContentTypes() {}

  static String sniff(Path file) throws IOException {
    byte[] h;
    try (InputStream in = Files.newInputStream(file)) {
      h = in.readNBytes(12);
    }
    if (starts(h, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(h, 0, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (starts(h, 0, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (starts(h, 0, 'R', 'I', 'F', 'F') && starts(h, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    if (starts(h, 0, 'B', 'M')) {
      return "image/bmp";
    }
    return "application/octet-stream";
  }

  private static boolean starts(byte[] data, int offset, int... expected) {
    if (data.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((data[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
