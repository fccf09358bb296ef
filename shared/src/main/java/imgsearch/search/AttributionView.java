package imgsearch.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import imgsearch.index.Attribution;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What a result shows about where a photo came from; links are only ever http(s), wherever the result is
 * shown (a page, or JSON another program may turn into one).
 *
 * @param title photo title
 * @param owner owner's name
 * @param ownerUrl owner's profile page
 * @param license licence name
 * @param licenseUrl licence text
 * @param pageUrl the photo's page at its source (Flickr requires linking to it)
 * @param source crawl source, e.g. flickr
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttributionView(String title, String owner, String ownerUrl, String license, String licenseUrl,
    String pageUrl, String source) {

  /** Null when the attribution is absent or says nothing a user could see. */
  public static AttributionView of(Attribution a) {
    if (a == null) {
      return null;
    }
    AttributionView v = new AttributionView(blankToNull(a.title()), blankToNull(a.owner()),
        safeExternal(a.ownerUrl()), blankToNull(a.licenseName()), safeExternal(a.licenseUrl()),
        safeExternal(a.pageUrl()), blankToNull(a.source()));
    return v.title == null && v.owner == null && v.license == null && v.pageUrl == null ? null : v;
  }

  /**
   * The URL if it is an absolute http(s) URL, else null: crawled metadata could hold {@code javascript:}
   * or other schemes that must never become a link.
   */
  static String safeExternal(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri.toString() : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
