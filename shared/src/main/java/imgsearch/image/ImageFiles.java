package imgsearch.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/** File-level helpers: which files look like images, and content hashes. */
public final class ImageFiles {

  /** Extensions of the formats {@link ImageDecoder} reads, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "jpe", "png", "gif", "bmp", "webp");

  private ImageFiles() {}

  /** Whether the file name ends in an image extension (case-insensitive); the content is checked when decoding. */
  public static boolean hasImageExtension(Path file) {
    Path fileName = file.getFileName();
    if (fileName == null) { // a root such as "/"
      return false;
    }
    String name = fileName.toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * The media type of an image file from its first bytes (file names can lie), e.g. {@code image/jpeg};
   * {@code application/octet-stream} when it is not a supported image.
   */
  public static String contentType(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(ImageFormat.HEAD_LENGTH);
    }
    try {
      return "image/" + ImageFormat.sniff(head).id;
    } catch (ImageDecodeException notAnImage) {
      return "application/octet-stream";
    }
  }

  /** SHA-256 of a file's bytes, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** SHA-256 of bytes, lower-case hex. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
