package imgsearch.crawl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import imgsearch.crawl.clean.RejectReason;

/**
 * One line of {@code rejected.jsonl}: a candidate that was dropped, and why. The file holds one line per
 * candidate and class, its latest outcome.
 *
 * @param id the candidate's id
 * @param label the class it was a candidate for
 * @param term the search term
 * @param source flickr, flickr-feed or web
 * @param pageUrl the photo's page
 * @param imageUrl the image URL
 * @param reason a {@link imgsearch.crawl.clean.RejectReason} code, e.g. {@code near-duplicate}
 * @param detail a short explanation, e.g. {@code HTTP 500 after 4 attempts}
 * @param duplicateOf for (near-)duplicates, the id of the kept image it repeats
 * @param attempts for a failed download, how many tries were made; else absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RejectedRecord(
    @JsonProperty("id") String id,
    @JsonProperty("class") String label,
    @JsonProperty("term") String term,
    @JsonProperty("source") String source,
    @JsonProperty("page_url") String pageUrl,
    @JsonProperty("image_url") String imageUrl,
    @JsonProperty("reason") String reason,
    @JsonProperty("detail") String detail,
    @JsonProperty("duplicate_of") String duplicateOf,
    @JsonProperty("attempts") Integer attempts) {

  /**
   * Whether a later run tries this candidate again: its reason may pass by itself
   * ({@link RejectReason#isTransient()}). A reason this version does not know is tried again too, which at
   * worst costs one download.
   */
  public boolean retryOnNextRun() {
    RejectReason r = RejectReason.fromCode(reason);
    return r == null || r.isTransient();
  }
}
