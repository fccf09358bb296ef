package imgsearch.index;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import java.util.List;

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

    /** How searches run, for people: e.g. {@code HNSW (dot, int8) + exact re-scoring} or {@code exact scan}. */
    public String searchDescription() {
      if (graphMetrics.isEmpty()) {
        return "exact scan";
      }
      return "HNSW for " + String.join(", ", graphMetrics.stream().map(Metric::id).toList()) + " ("
          + (quantization == null ? Quantization.NONE : quantization).id() + " graph vectors, exact re-scoring)"
          + (graphMetrics.size() < spec.metrics().size() ? ", exact scan for the others" : "");
    }
  }
}
