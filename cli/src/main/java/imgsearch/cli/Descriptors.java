package imgsearch.cli;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.deep.DeepDescriptors;
import imgsearch.descriptor.deep.DeepModels;
import imgsearch.model.ModelOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The descriptors the command line can compute: the classic ones, and the deep ones whose models load
 * on first use (see {@link ModelLocation}). Close it to release loaded models.
 */
final class Descriptors implements AutoCloseable {

  private final DescriptorRegistry registry;
  private final DeepModels deep;

  private Descriptors(DescriptorRegistry registry, DeepModels deep) {
    this.registry = registry;
    this.deep = deep;
  }

  /** Classic and deep descriptors; deep models come from where {@code models} says. */
  static Descriptors load(ModelOptions models) {
    DescriptorRegistry registry = ClassicDescriptors.registry();
    DeepModels deep = DeepDescriptors.register(registry, models);
    return new Descriptors(registry, deep);
  }

  DescriptorRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    deep.close();
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
      try {
        out.add(registry.create(name, config));
      } catch (IllegalArgumentException e) { // the descriptor refuses the setting given (e.g. --pixel-size)
        throw UserError.usage(e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw UserError.usage("--descriptors names no descriptor; known: " + String.join(", ", registry.names()));
    }
    return out;
  }
}
