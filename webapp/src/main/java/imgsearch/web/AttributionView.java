package imgsearch.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import imgsearch.index.Attribution;

/**
 * What a result shows about where a photo came from; links are only ever http(s).
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
public record AttributionView(String title, String owner, String ownerUrl, String license, String licenseUrl, String pageUrl,
    String source) {

  /** Null when the attribution is absent or says nothing a user could see. */
  public static AttributionView of(Attribution a) {
    if (a == null) {
      return null;
    }
    AttributionView v = new AttributionView(blankToNull(a.title()), blankToNull(a.owner()),
        Urls.safeExternal(a.ownerUrl()), blankToNull(a.licenseName()), Urls.safeExternal(a.licenseUrl()),
        Urls.safeExternal(a.pageUrl()), blankToNull(a.source()));
    return v.title == null && v.owner == null && v.license == null && v.pageUrl == null ? null : v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
