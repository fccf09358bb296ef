package imgsearch.index;

import java.util.List;

/**
 * Where a crawled photo came from and under which terms it may be shown. Every field may be null
 * when unknown; {@link #tags()} is never null.
 *
 * @param title photo title
 * @param owner owner's display name
 * @param ownerUrl owner's profile page
 * @param licenseId source-specific licence id (e.g. Flickr's "4")
 * @param licenseName licence name, e.g. "CC BY 2.0"
 * @param licenseUrl licence text URL
 * @param pageUrl the photo's page at its source: results link here
 * @param imageUrl the URL the image bytes were downloaded from
 * @param source crawl source: flickr, flickr-feed, web
 * @param dateTaken as given by the source
 */
public record Attribution(String title, String owner, String ownerUrl, String licenseId, String licenseName,
    String licenseUrl, String pageUrl, String imageUrl, String source, List<String> tags, String dateTaken) {

  public Attribution {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
