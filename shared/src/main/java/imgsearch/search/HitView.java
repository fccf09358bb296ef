package imgsearch.search;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import imgsearch.index.ImageRecord;
import java.util.Locale;

/**
 * One image as a search result, in the shape of {@link ResultsView}.
 *
 * @param id image id
 * @param path the image's file path in the collection
 * @param score distance or similarity under the query's metric; null when listing, not searching
 * @param label class, or null ({@code class} in the JSON)
 * @param split train/test, or null
 * @param width pixel width
 * @param height pixel height
 * @param url where the image bytes are served, or null
 * @param thumbnailUrl where a small JPEG of it is served, or null
 * @param attribution where it came from, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HitView(String id, String path, Double score, @JsonProperty("class") String label, String split,
    int width, int height, String url, String thumbnailUrl, AttributionView attribution) {

  /** Where a program serves images (the web app under {@code /api/images}); a command line serves none. */
  public interface Links {
    /** No URLs: {@code url} and {@code thumbnailUrl} are left out. */
    Links NONE = new Links() {
      @Override
      public String image(String id) {
        return null;
      }

      @Override
      public String thumbnail(String id) {
        return null;
      }
    };

    /** The image's bytes. */
    String image(String id);

    /** A small JPEG of it. */
    String thumbnail(String id);
  }

  public static HitView of(ImageRecord r, Double score, Links links) {
    return new HitView(r.id(), r.path(), score, r.label(), r.split(), r.width(), r.height(), links.image(r.id()),
        links.thumbnail(r.id()), AttributionView.of(r.attribution()));
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
