package imgsearch.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests of bytes, text (as UTF-8) and files, raw or as lower-case hex: content hashes, verified
 * downloads, and short stable names derived from text.
 */
public final class Sha256 {

  private Sha256() {}

  /** A fresh digest, for data that arrives in pieces. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The 32-byte digest of {@code bytes}. */
  public static byte[] digest(byte[] bytes) {
    return newDigest().digest(bytes);
  }

  /** The 32-byte digest of {@code text} encoded as UTF-8. */
  public static byte[] digest(String text) {
    return digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest of {@code bytes}, 64 lower-case hex digits. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest(bytes));
  }

  /** The digest of a file's bytes, 64 lower-case hex digits; the file is streamed, not loaded whole. */
  public static String hex(Path file) throws IOException {
    MessageDigest digest = newDigest();
    update(digest, file);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Feeds a file's bytes into {@code digest}. */
  public static void update(MessageDigest digest, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
  }

  /**
   * The first {@code bytes} bytes of the digest of {@code text} (UTF-8), as {@code 2 * bytes} lower-case hex
   * digits: a short name that stays the same for the same text.
   */
  public static String shortHex(String text, int bytes) {
    return HexFormat.of().formatHex(digest(text), 0, bytes);
  }
}
