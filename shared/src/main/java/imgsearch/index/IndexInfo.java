package imgsearch.index;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an index holds and how it stores it: shown by {@code imgsearch info} and {@code /api/health}.
 *
 * @param location where the index lives (a folder, or a Solr URI)
 * @param backend {@code lucene} or {@code solr}
 * @param images how many images it holds
 * @param diskBytes bytes on disk, or -1 when unknown
 * @param descriptors per descriptor, in the catalogue's order
 */
public record IndexInfo(String location, String backend, int images, long diskBytes, List<Descriptor> descriptors) {

  public IndexInfo {
    descriptors = List.copyOf(descriptors);
  }

  /** As plain maps and lists, for JSON ({@code imgsearch info --json}, {@code /api/health}); unknowns are null. */
  public Map<String, Object> asMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("location", location);
    out.put("backend", backend);
    out.put("images", images);
    out.put("diskBytes", diskBytes < 0 ? null : diskBytes);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Descriptor d : descriptors) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", d.spec().name());
      m.put("version", d.spec().version());
      m.put("config", d.spec().config());
      m.put("dimension", d.spec().dimension());
      m.put("metrics", d.spec().metrics().stream().map(Metric::id).toList());
      m.put("graphMetrics", d.graphMetrics().stream().map(Metric::id).toList());
      m.put("quantization", d.quantization() == null ? null : d.quantization().id());
      m.put("search", d.searchDescription());
      m.put("vectors", d.vectors() < 0 ? null : d.vectors());
      m.put("approxBytes", d.approxBytes() < 0 ? null : d.approxBytes());
      list.add(m);
    }
    out.put("descriptors", list);
    return out;
  }

  /**
   * One descriptor's vectors.
   *
   * @param spec name, version, configuration, dimension and metrics
   * @param graphMetrics the metrics an HNSW graph answers (the others are exact scans); empty when the
   *     descriptor has no graph
   * @param quantization how its graph's vectors are stored; null when it has no graph
   * @param vectors how many images have vectors of it
   * @param approxBytes estimated bytes on disk of its vectors and graphs, or -1 when unknown
   */
  public record Descriptor(DescriptorSpec spec, List<Metric> graphMetrics, Quantization quantization, int vectors,
      long approxBytes) {

    public Descriptor {
      graphMetrics = List.copyOf(graphMetrics);
    }

    /**
     * How searches run, for people: e.g. {@code HNSW for dot (int8-quantized graph vectors, exact re-scoring)}
     * or {@code exact scan}.
     */
    public String searchDescription() {
      if (graphMetrics.isEmpty()) {
        return "exact scan";
      }
      Quantization q = quantization == null ? Quantization.NONE : quantization;
      return "HNSW for " + String.join(", ", graphMetrics.stream().map(Metric::id).toList()) + " ("
          + (q == Quantization.NONE ? "float32" : q.id() + "-quantized") + " graph vectors, exact re-scoring)"
          + (graphMetrics.size() < spec.metrics().size() ? ", exact scan for the others" : "");
    }
  }
}
