package imgsearch.index;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One line of a collection's {@code manifest.jsonl}: a kept image and where it came from. The crawler
 * writes these; the indexer reads them to attach attribution to the images it indexes.
 *
 * @param file path of the image relative to the collection root, with forward slashes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestEntry(
    @JsonProperty("id") String id,
    @JsonProperty("class") String label,
    @JsonProperty("split") String split,
    @JsonProperty("file") String file,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("width") int width,
    @JsonProperty("height") int height,
    @JsonProperty("source") String source,
    @JsonProperty("page_url") String pageUrl,
    @JsonProperty("image_url") String imageUrl,
    @JsonProperty("title") String title,
    @JsonProperty("owner") String owner,
    @JsonProperty("owner_url") String ownerUrl,
    @JsonProperty("license_id") String licenseId,
    @JsonProperty("license_name") String licenseName,
    @JsonProperty("license_url") String licenseUrl,
    @JsonProperty("tags") List<String> tags,
    @JsonProperty("date_taken") String dateTaken) {

  /** The attribution part, for the index. */
  @JsonIgnore
  public Attribution attribution() {
    return new Attribution(title, owner, ownerUrl, licenseId, licenseName, licenseUrl, pageUrl, imageUrl, source,
        tags, dateTaken);
  }
}
