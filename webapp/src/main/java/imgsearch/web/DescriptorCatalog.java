package imgsearch.web;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.search.ImageSearcher;
import imgsearch.search.SearchableDescriptors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The descriptors a user can search with: indexed and computable here, best first, without those whose
 * model could not be loaded (see {@link DeepModelCheck}). Rebuilt only when the index's descriptors
 * change (an indexing run in another process may add one while we serve); a new deep descriptor's model
 * is loaded then.
 */
final class DescriptorCatalog {

  /**
   * The catalogue as one request sees it, read from the index once: the request checks its parameters,
   * resolves its query and renders its page with the same snapshot.
   *
   * @param searchable what the searcher can search with
   * @param entries the descriptors offered, the default (best) first; empty for an empty index
   * @param loadedModels indexed deep descriptors whose model loaded, with where it runs
   * @param unavailable indexed deep descriptors whose model (or text encoder) could not be loaded, with the reason
   * @param textUnavailable why searching by words is impossible although the index has a descriptor that
   *     could do it, or null
   */
  record Snapshot(SearchableDescriptors searchable, List<DescriptorInfo> entries, List<LoadedModel> loadedModels,
      List<UnavailableDescriptor> unavailable, UnavailableDescriptor textUnavailable) {

    Optional<DescriptorInfo> find(String name) {
      return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The descriptor used when a request names none. */
    Optional<DescriptorInfo> defaultEntry(boolean forText) {
      return entries.stream().filter(e -> !forText || e.text()).findFirst();
    }

    boolean supportsText() {
      return entries.stream().anyMatch(DescriptorInfo::text);
    }

    List<String> names() {
      return entries.stream().map(DescriptorInfo::name).toList();
    }

    Optional<UnavailableDescriptor> unavailable(String name) {
      return unavailable.stream().filter(u -> u.name().equals(name)).findFirst();
    }
  }

  private final ImageSearcher searcher;
  private final DeepModelCheck models;
  private volatile Snapshot snapshot;

  DescriptorCatalog(ImageSearcher searcher, DeepModelCheck models) {
    this.searcher = searcher;
    this.models = models;
  }

  /** The catalogue now: one read of the index's descriptors. */
  Snapshot snapshot() throws IOException {
    SearchableDescriptors searchable = searcher.catalogue();
    Snapshot s = snapshot;
    if (s == null || s.searchable() != searchable) { // the searcher keeps its value while nothing changes
      models.check(searchable.indexed()); // the only time a model's state changes
      s = new Snapshot(searchable, build(searchable), models.loaded(), models.unavailable(),
          models.textFailure().orElse(null));
      snapshot = s;
    }
    return s;
  }

  private List<DescriptorInfo> build(SearchableDescriptors searchable) {
    List<DescriptorInfo> out = new ArrayList<>();
    for (DescriptorSpec spec : searchable.specs()) {
      if (!models.usable(spec.name())) {
        continue;
      }
      boolean text = models.textUsable(spec.name())
          && searchable.descriptor(spec.name()).map(Descriptor::embedsText).orElse(false);
      out.add(new DescriptorInfo(spec.name(), spec.title(), spec.metrics().stream().map(Metric::id).toList(), text,
          models.loaded(spec.name()).map(LoadedModel::executionProvider).orElse(null)));
    }
    return List.copyOf(out);
  }
}
