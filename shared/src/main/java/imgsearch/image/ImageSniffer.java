package imgsearch.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells an image format from the first bytes of the data, never from a file name or a Content-Type header
 * (servers label HTML error pages as image/jpeg). It recognises exactly the formats {@link ImageDecoder}
 * reads, by the same rules, so "sniffed as an image" and "decodable format" never disagree: TIFF, HEIC and
 * a text that happens to start with "BM" are not images here.
 */
public final class ImageSniffer {

  /** The number of leading bytes the sniffer looks at; passing more is harmless. */
  public static final int HEAD_LENGTH = ImageFormat.HEAD_LENGTH;

  private ImageSniffer() {}

  /** {@code jpeg}, {@code png}, {@code gif}, {@code bmp} or {@code webp}; empty when the bytes are none of them. */
  public static Optional<String> format(byte[] head) {
    return ImageFormat.recognise(head).map(f -> f.id);
  }

  /** The media type, e.g. {@code image/jpeg}; {@code application/octet-stream} when not a supported image. */
  public static String mediaType(byte[] head) {
    return format(head).map(id -> "image/" + id).orElse("application/octet-stream");
  }

  /** {@link #mediaType(byte[])} of a file's first bytes. */
  public static String mediaType(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return mediaType(in.readNBytes(HEAD_LENGTH));
    }
  }

  /**
   * What the bytes are instead of a supported image, for a user: "the file is a TIFF image, which is not
   * supported; ...", "... it looks like an HTML or XML page ...", "the file is empty ...".
   */
  public static String describe(byte[] head) {
    return ImageFormat.describeUnsupported(head);
  }
}
