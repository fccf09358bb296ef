package imgsearch.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The server's own URLs, and a check for URLs that came from crawled data. */
final class Urls {
  private Urls() {}

  static String image(String id) {
    return "/api/images/" + segment(id);
  }

  static String thumbnail(String id) {
    return "/api/images/" + segment(id) + "/thumbnail";
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
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
}
