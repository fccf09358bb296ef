package imgsearch.crawl.source;

import imgsearch.index.Attribution;
import java.util.Objects;

/**
 * A photo a source offers for a term, before it is downloaded: its id and its attribution, which the
 * manifest keeps if the photo is. Of the attribution, {@code source} and {@code imageUrl} are always set
 * (a candidate without an image URL is rejected); the rest may be null.
 *
 * @param id file-name-safe id, stable across runs (a Flickr photo id, or "web-" and a hash of the image URL)
 * @param attribution where the photo is (its image URL) and where it came from
 */
public record Candidate(String id, Attribution attribution) {

  public Candidate {
    Objects.requireNonNull(attribution, "attribution");
  }

  /** Where the image bytes are. */
  public String imageUrl() {
    return attribution.imageUrl();
  }
}
