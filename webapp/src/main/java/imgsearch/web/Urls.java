package imgsearch.web;

import imgsearch.search.HitView;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The server's own URLs. */
final class Urls {
  private Urls() {}

  /** The server's image URLs, for {@link HitView}s. */
  static final HitView.Links LINKS = new HitView.Links() {
    @Override
    public String image(String id) {
      return Urls.image(id);
    }

    @Override
    public String thumbnail(String id) {
      return Urls.thumbnail(id);
    }
  };

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
}
