package imgsearch.index;

import java.util.List;

/**
 * Where a photo came from and under which terms it may be shown: the one declaration of these fields. The
 * crawler's candidates, the collection's {@link ManifestEntry manifest lines} and the index's image records
 * all hold one. Every field may be null when unknown; {@link #tags()} is never null.
 *
 * <p>As JSON it has two spellings, both kept as they were on disk: the index stores it with these names
 * ({@code pageUrl}), {@code manifest.jsonl} in snake case ({@code page_url}, see {@link ManifestEntry}), in
 * this order.
 *
 * @param source crawl source: flickr, flickr-feed, web
 * @param pageUrl the photo's page at its source: results link here
 * @param imageUrl the URL the image bytes were downloaded from
 * @param title photo title (or alt text)
 * @param owner owner's display name
 * @param ownerUrl owner's profile page
 * @param licenseId source-specific licence id (e.g. Flickr's "4")
 * @param licenseName licence name, e.g. "CC BY 2.0"
 * @param licenseUrl licence text URL
 * @param tags the photo's tags
 * @param dateTaken as given by the source
 */
public record Attribution(String source, String pageUrl, String imageUrl, String title, String owner,
    String ownerUrl, String licenseId, String licenseName, String licenseUrl, List<String> tags, String dateTaken) {

  public Attribution {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
