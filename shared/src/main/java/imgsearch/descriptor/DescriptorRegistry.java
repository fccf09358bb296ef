package imgsearch.descriptor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptors a program knows how to compute, by name. A descriptor is built from its stored
 * {@code config} string, so a query is always described exactly like the images in the index it
 * searches.
 */
public final class DescriptorRegistry {

  /** Builds a descriptor from its config string ({@code ""} means the default configuration). */
  @FunctionalInterface
  public interface Factory {
    Descriptor create(String config);
  }

  private final Map<String, Factory> factories = new LinkedHashMap<>();
  private final Map<String, String> descriptions = new LinkedHashMap<>();

  /** Registers a descriptor name; the order of registration is the order of listings. */
  public DescriptorRegistry register(String name, String description, Factory factory) {
    factories.put(name, factory);
    descriptions.put(name, description);
    return this;
  }

  /** Known names, in registration order. */
  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(factories.keySet()));
  }

  /** One-line description of a descriptor, for help texts. */
  public String description(String name) {
    return descriptions.getOrDefault(name, "");
  }

  public boolean contains(String name) {
    return factories.containsKey(name);
  }

  /** The descriptor in its default configuration. */
  public Descriptor create(String name) {
    return create(name, "");
  }

  /** The descriptor in the given configuration. */
  public Descriptor create(String name, String config) {
    Factory f = factories.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown descriptor '" + name + "'; known: " + names());
    }
    return f.create(config);
  }

  /** The descriptor matching a spec stored in an index. */
  public Optional<Descriptor> forSpec(DescriptorSpec spec) {
    if (!contains(spec.name())) {
      return Optional.empty();
    }
    Descriptor d = create(spec.name(), spec.config());
    return d.spec().compatibleWith(spec) ? Optional.of(d) : Optional.empty();
  }
}
