package imgsearch.index;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * One line of a collection's {@code manifest.jsonl}: a kept image and where it came from. The crawler
 * writes these; the indexer reads them to attach attribution to the images it indexes.
 *
 * <p>A line is flat: this entry's fields, then the {@link Attribution}'s in snake case ({@code page_url}),
 * as crawlers have always written them. Any mapper reads and writes that form: the attribution is unwrapped
 * here (Jackson 2.17 cannot unwrap into a record's constructor, which {@code @JsonUnwrapped} would need).
 * Unknown keys are ignored.
 *
 * @param id the image's id at its source
 * @param label its class ({@code class} in the JSON)
 * @param split train or test
 * @param file path of the image relative to the collection root, with forward slashes
 * @param sha256 SHA-256 of the stored file
 * @param width pixel width
 * @param height pixel height
 * @param attribution where it came from (never null; its fields may be)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = ManifestEntry.Reader.class)
public record ManifestEntry(
    @JsonProperty("id") String id,
    @JsonProperty("class") String label,
    @JsonProperty("split") String split,
    @JsonProperty("file") String file,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("width") int width,
    @JsonProperty("height") int height,
    @JsonIgnore Attribution attribution) {

  /** The attribution's JSON spelling in the manifest; unknowns left out, as before. */
  private static final ObjectMapper SNAKE_CASE = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public ManifestEntry {
    Objects.requireNonNull(attribution, "attribution");
  }

  /** The same entry in another split and file (an image moved between train and test). */
  public ManifestEntry movedTo(String newSplit, String newFile) {
    return new ManifestEntry(id, label, newSplit, newFile, sha256, width, height, attribution);
  }

  /** The attribution's fields, written after the entry's own. */
  @JsonAnyGetter
  LinkedHashMap<String, Object> attributionFields() {
    return SNAKE_CASE.convertValue(attribution, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /** Reads a line: the entry's fields by name, the attribution from the same object. */
  static final class Reader extends StdDeserializer<ManifestEntry> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(ManifestEntry.class);
    }

    @Override
    public ManifestEntry deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode line = p.readValueAsTree();
      if (line == null || !line.isObject()) {
        throw MismatchedInputException.from(p, ManifestEntry.class, "a manifest line is a JSON object");
      }
      return new ManifestEntry(text(line, "id"), text(line, "class"), text(line, "split"), text(line, "file"),
          text(line, "sha256"), line.path("width").asInt(), line.path("height").asInt(),
          SNAKE_CASE.treeToValue(line, Attribution.class));
    }

    private static String text(JsonNode line, String key) {
      JsonNode v = line.get(key);
      return v == null || v.isNull() ? null : v.asText();
    }
  }
}
