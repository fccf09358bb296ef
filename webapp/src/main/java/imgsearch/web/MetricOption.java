package imgsearch.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric in the search form, with the descriptors that support it (the page script hides the others).
 *
 * @param id metric id
 * @param descriptors space-separated names of the descriptors that offer it
 */
public record MetricOption(String id, String descriptors) {

  static List<MetricOption> all(List<DescriptorInfo> catalog) {
    Map<String, List<String>> byMetric = new LinkedHashMap<>();
    for (DescriptorInfo d : catalog) {
      for (String m : d.metrics()) {
        byMetric.computeIfAbsent(m, x -> new ArrayList<>()).add(d.name());
      }
    }
    List<MetricOption> out = new ArrayList<>();
    byMetric.forEach((m, ds) -> out.add(new MetricOption(m, String.join(" ", ds))));
    return out;
  }
}
