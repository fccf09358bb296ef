package imgsearch.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One descriptor a user can search with.
 *
 * @param name descriptor name used in requests
 * @param label name with version and config
 * @param metrics metric ids, the default first
 * @param text whether it can search by words
 */
public record DescriptorInfo(String name, String label, List<String> metrics, boolean text) {

  public DescriptorInfo {
    metrics = List.copyOf(metrics);
  }

  @JsonProperty("defaultMetric")
  public String defaultMetric() {
    return metrics.get(0);
  }
}
