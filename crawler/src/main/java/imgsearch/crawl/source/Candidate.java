package imgsearch.crawl.source;

import java.util.List;

/**
 * A photo a source offers for a term, before it is downloaded. Everything but {@code id}, {@code source} and
 * {@code imageUrl} may be null.
 *
 * @param id file-name-safe id, stable across runs (a Flickr photo id, or "web-" and a hash of the image URL)
 * @param source the source's name: flickr, flickr-feed, web
 * @param pageUrl the photo's page: what attribution links to
 * @param imageUrl where the image bytes are
 * @param title the photo's title (or alt text)
 * @param owner the owner's display name
 * @param ownerUrl the owner's profile page
 * @param licenseId source-specific licence id (Flickr's "4" etc.)
 * @param licenseName licence name, e.g. "Attribution License"
 * @param licenseUrl licence text URL
 * @param tags the photo's tags
 * @param dateTaken the date taken as the source gives it
 */
public record Candidate(String id, String source, String pageUrl, String imageUrl, String title, String owner,
    String ownerUrl, String licenseId, String licenseName, String licenseUrl, List<String> tags, String dateTaken) {

  public Candidate {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
