package imgsearch.cli;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import java.util.ArrayList;
import java.util.List;

/** Which descriptors the command line can compute, and parsing of {@code --descriptors} lists. */
final class Descriptors {
  private Descriptors() {}

  /** Every descriptor this program knows. */
  static DescriptorRegistry registry() {
    return ClassicDescriptors.registry();
  }

  /** Parses {@code a,b,c} into descriptors; {@code pixelSize} configures {@code pixels} when given. */
  static List<Descriptor> parse(DescriptorRegistry registry, List<String> names, Integer pixelSize) {
    List<Descriptor> out = new ArrayList<>();
    for (String raw : names) {
      String name = raw.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!registry.contains(name)) {
        throw UserError.usage("unknown descriptor '" + name + "'; known: " + String.join(", ", registry.names()));
      }
      String config = name.equals("pixels") && pixelSize != null ? "size=" + pixelSize : "";
      out.add(registry.create(name, config));
    }
    if (out.isEmpty()) {
      throw UserError.usage("--descriptors names no descriptor; known: " + String.join(", ", registry.names()));
    }
    return out;
  }
}
