package imgsearch.crawl.download;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells an image format from the first bytes of a file. Servers label HTML error pages as image/jpeg and
 * images as application/octet-stream, so the Content-Type header is never trusted.
 */
public final class ContentSniffer {

  private ContentSniffer() {}

  /** jpeg, png, gif, webp, bmp or tiff; empty when the bytes start like none of them. */
  public static Optional<String> imageFormat(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
      return Optional.of("jpeg");
    }
    if (startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
      return Optional.of("png");
    }
    if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) {
      return Optional.of("gif");
    }
    if (b.length >= 12 && startsWith(b, ascii("RIFF")) && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
      return Optional.of("webp");
    }
    if (b.length >= 14 && startsWith(b, ascii("BM"))) {
      return Optional.of("bmp");
    }
    if (startsWith(b, new byte[] {'I', 'I', 42, 0}) || startsWith(b, new byte[] {'M', 'M', 0, 42})) {
      return Optional.of("tiff");
    }
    return Optional.empty();
  }

  /** A short, printable description of what the bytes look like instead, for rejection records. */
  public static String describe(byte[] b) {
    if (b.length == 0) {
      return "empty body";
    }
    String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(java.util.Locale.ROOT);
    if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head") || head.startsWith("<body")) {
      return "HTML page";
    }
    if (head.startsWith("<?xml") || head.startsWith("<")) {
      return "XML or markup";
    }
    if (head.startsWith("{") || head.startsWith("[")) {
      return "JSON";
    }
    return "unknown bytes";
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
