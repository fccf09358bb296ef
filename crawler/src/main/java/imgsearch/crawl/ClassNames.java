package imgsearch.crawl;

import imgsearch.file.Sha256;
import java.text.Normalizer;
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
    return Sha256.shortHex(s, 4);
  }
}
