package imgsearch.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import imgsearch.index.ImageRecord;
import java.util.Locale;

/**
 * One image as the API returns it and the pages show it.
 *
 * @param id image id
 * @param path the image's file path in the collection
 * @param score distance or similarity under the query's metric; null when listing, not searching
 * @param label class, or null
 * @param split train/test, or null
 * @param width pixel width
 * @param height pixel height
 * @param url the image bytes
 * @param thumbnailUrl a small JPEG of it
 * @param attribution where it came from, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HitView(String id, String path, Double score, @JsonProperty("class") String label, String split, int width,
    int height, String url, String thumbnailUrl, AttributionView attribution) {

  public static HitView of(ImageRecord r, Double score) {
    return new HitView(r.id(), r.path(), score, r.label(), r.split(), r.width(), r.height(), Urls.image(r.id()),
        Urls.thumbnail(r.id()), AttributionView.of(r.attribution()));
  }

  @JsonIgnore
  public String fileName() {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  /** The score with four significant decimals, for display. */
  @JsonIgnore
  public String scoreText() {
    return score == null ? "" : String.format(Locale.ROOT, Math.abs(score) >= 100 ? "%.1f" : "%.4f", score);
  }

  /** Alt text: what the picture is, as far as the index knows. */
  @JsonIgnore
  public String altText() {
    String what = attribution != null && attribution.title() != null ? attribution.title() : fileName();
    return label == null ? what : what + " (class " + label + ")";
  }
}
