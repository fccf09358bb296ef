package imgsearch.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One descriptor a user can search with.
 *
 * @param name descriptor name used in requests
 * @param title the descriptor's name with version and config, for people (e.g. {@code pixels v1 (size=224)},
 *     {@link imgsearch.descriptor.DescriptorSpec#title()}); the JSON key stays {@code label}, second, so that
 *     clients of {@code /api/descriptors} written before the rename keep working
 * @param metrics metric ids, the default first
 * @param text whether it can search by words
 * @param executionProvider for a deep descriptor, the ONNX Runtime execution provider its model runs on
 *     ({@code CUDA} or {@code CPU}); {@code null} (left out of the JSON) for the others
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "label"}) // the renamed component keeps its place in the JSON
public record DescriptorInfo(String name, @JsonProperty("label") String title, List<String> metrics, boolean text,
    String executionProvider) {

  public DescriptorInfo {
    metrics = List.copyOf(metrics);
  }

  @JsonProperty("defaultMetric")
  public String defaultMetric() {
    return metrics.get(0);
  }
}
