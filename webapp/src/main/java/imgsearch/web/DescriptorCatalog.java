package imgsearch.web;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.search.ImageSearcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptors a user can search with: indexed and computable here, best first, without those whose
 * model could not be loaded (see {@link DeepModelCheck}). Rebuilt only when the index's descriptors
 * change (an indexing run in another process may add one while we serve); a new deep descriptor's model
 * is loaded then.
 */
final class DescriptorCatalog {

  private record Snapshot(Map<String, DescriptorSpec> indexed, List<DescriptorInfo> entries) {}

  private final ImageSearcher searcher;
  private final DescriptorRegistry registry;
  private final DeepModelCheck models;
  private volatile Snapshot snapshot;

  DescriptorCatalog(ImageSearcher searcher, DescriptorRegistry registry, DeepModelCheck models) {
    this.searcher = searcher;
    this.registry = registry;
    this.models = models;
  }

  /** Searchable descriptors, the default (best) first; empty for an empty index. */
  List<DescriptorInfo> entries() throws IOException {
    Map<String, DescriptorSpec> indexed = searcher.index().descriptors();
    Snapshot s = snapshot;
    if (s == null || !s.indexed().equals(indexed)) {
      models.check(indexed);
      s = new Snapshot(Map.copyOf(indexed), build());
      snapshot = s;
    }
    return s.entries();
  }

  /** The index's spec of a descriptor {@link #entries()} lists. */
  DescriptorSpec spec(String name) {
    return snapshot.indexed().get(name);
  }

  Optional<DescriptorInfo> find(String name) throws IOException {
    return entries().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The descriptor used when a request names none. */
  Optional<DescriptorInfo> defaultEntry(boolean forText) throws IOException {
    return entries().stream().filter(e -> !forText || e.text()).findFirst();
  }

  boolean supportsText() throws IOException {
    return entries().stream().anyMatch(DescriptorInfo::text);
  }

  List<String> names() throws IOException {
    return entries().stream().map(DescriptorInfo::name).toList();
  }

  /** Indexed deep descriptors whose model loaded, with where it runs. */
  List<LoadedModel> loadedModels() throws IOException {
    entries(); // checks the models of descriptors indexed since the last call
    return models.loaded();
  }

  /** Indexed deep descriptors whose model (or text encoder) could not be loaded, with the reason. */
  List<UnavailableDescriptor> unavailable() {
    return models.unavailable();
  }

  Optional<UnavailableDescriptor> unavailable(String name) {
    return models.find(name);
  }

  /** Why searching by words is impossible although the index has a descriptor that could do it, if so. */
  Optional<UnavailableDescriptor> textUnavailable() {
    return models.textFailure();
  }

  private List<DescriptorInfo> build() throws IOException {
    List<DescriptorInfo> out = new ArrayList<>();
    for (DescriptorSpec spec : searcher.searchableDescriptors()) {
      if (!models.usable(spec.name())) {
        continue;
      }
      boolean text = models.textUsable(spec.name())
          && registry.forSpec(spec).map(Descriptor::embedsText).orElse(false);
      out.add(new DescriptorInfo(spec.name(), spec.label(), spec.metrics().stream().map(Metric::id).toList(), text,
          models.loaded(spec.name()).map(LoadedModel::executionProvider).orElse(null)));
    }
    return List.copyOf(out);
  }
}
