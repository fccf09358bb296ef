package imgsearch.descriptor;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The crawler's 64-bit {@link PerceptualHash} as a descriptor ({@code phash}): 64 components of 0 or 1. L1
 * between two vectors is the number of differing bits (exact scan); L2 is its square root and has an HNSW
 * graph, which {@code imgsearch duplicates --descriptor phash} uses to find images within a few bits of each
 * other. It recognises copies, rescaled and recompressed exports and mild colour edits, not crops or flips;
 * it is indexed so that {@code duplicates} can apply exactly the crawler's rule.
 */
public final class PerceptualHashDescriptor implements Descriptor {

  /** Registry name. */
  public static final String NAME = "phash";

  /** Bits first, as they are what people read; L2 for the graph. */
  private static final List<Metric> METRICS = List.of(Metric.L1, Metric.L2);

  /** Parses the config: this descriptor has none, so only {@code ""} is accepted. */
  public static PerceptualHashDescriptor fromConfig(String config) {
    if (config != null && !config.isBlank()) {
      throw new IllegalArgumentException(NAME + " takes no configuration, got '" + config + "'");
    }
    return new PerceptualHashDescriptor();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public String config() {
    return "";
  }

  @Override
  public int dimension() {
    return PerceptualHash.BITS;
  }

  @Override
  public List<Metric> metrics() {
    return METRICS;
  }

  @Override
  public float[] describe(BufferedImage image) {
    return PerceptualHash.toVector(PerceptualHash.of(image));
  }
}
