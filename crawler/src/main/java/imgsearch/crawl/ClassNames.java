package imgsearch.crawl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/** Turns a search term into the folder name of its class: lower case ASCII letters, digits and dashes. */
public final class ClassNames {

  private static final int MAX_LENGTH = 64;

  private ClassNames() {}

  /**
   * A safe slug of {@code term}: accents dropped, anything else than a letter or digit becomes a dash
   * ("Red Fox!" gives "red-fox"). A term with no usable character gets "term-" and a short hash of it.
   */
  public static String slug(String term) {
    String ascii = Normalizer.normalize(term, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > MAX_LENGTH) {
      slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
    }
    if (slug.isEmpty()) {
      slug = "term-" + shortHash(term.strip());
    }
    return slug;
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
