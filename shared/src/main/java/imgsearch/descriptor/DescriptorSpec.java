package imgsearch.descriptor;

import java.util.List;

/**
 * What an index records about a descriptor: vectors are only comparable when name, version and
 * config are equal.
 *
 * @param name descriptor name
 * @param version algorithm version
 * @param config parameters that change the vectors, e.g. {@code size=224}
 * @param dimension vector length
 * @param metrics supported metrics, default first
 * @param encoding how the elements are stored ({@link VectorEncoding#FLOAT32} for specs stored before
 *     there was a choice)
 */
public record DescriptorSpec(String name, int version, String config, int dimension, List<Metric> metrics,
    VectorEncoding encoding) {

  public DescriptorSpec {
    metrics = List.copyOf(metrics);
    encoding = encoding == null ? VectorEncoding.FLOAT32 : encoding;
  }

  /** A spec of float vectors. */
  public DescriptorSpec(String name, int version, String config, int dimension, List<Metric> metrics) {
    this(name, version, config, dimension, metrics, VectorEncoding.FLOAT32);
  }

  /** True when vectors described under {@code other} can be compared with vectors under this spec. */
  public boolean compatibleWith(DescriptorSpec other) {
    return name.equals(other.name) && version == other.version && config.equals(other.config)
        && dimension == other.dimension && encoding == other.encoding;
  }

  /** Compact identity stored with each image: {@code name:version:config}. */
  public String key() {
    return name + ":" + version + ":" + config;
  }

  /**
   * Human-readable identity, for messages and pages, e.g. {@code pixels v1 (size=224)}. (A {@code label}
   * elsewhere is an image's class.)
   */
  public String title() {
    return name + " v" + version + (config.isEmpty() ? "" : " (" + config + ")");
  }
}
