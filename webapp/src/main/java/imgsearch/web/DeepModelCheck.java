package imgsearch.web;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.deep.DeepDescriptor;
import imgsearch.model.ExecutionProviders;
import imgsearch.model.ModelUnavailableException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the models of the deep descriptors an index holds before they are offered, so that a model that
 * cannot be had (no network, wrong checksum, missing file, wrong signature) makes the server fall back
 * to the other descriptors and say why, instead of failing to start or failing every search.
 *
 * <p>Each indexed descriptor spec is checked once: at startup, and when an indexing run in another
 * process adds one while the server runs (see {@link DescriptorCatalog}).
 */
final class DeepModelCheck {

  private static final Logger LOG = LoggerFactory.getLogger(DeepModelCheck.class);

  private record Failure(UnavailableDescriptor info, boolean embedsText) {}

  private final DescriptorRegistry registry;
  private final Set<String> checked = new HashSet<>();
  private final Map<String, Failure> failures = new LinkedHashMap<>();
  private final Map<String, LoadedModel> loaded = new LinkedHashMap<>();

  DeepModelCheck(DescriptorRegistry registry) {
    this.registry = registry;
  }

  /** Loads the image model (and text encoder) of every indexed deep descriptor not checked yet. */
  synchronized void check(Map<String, DescriptorSpec> indexed) {
    for (DescriptorSpec spec : indexed.values()) {
      if (checked.add(spec.key()) && registry.contains(spec.name())) {
        check(spec);
      }
    }
  }

  private void check(DescriptorSpec indexed) {
    String name = indexed.name();
    DeepDescriptor deep = null;
    try {
      Descriptor d = registry.create(name, indexed.config());
      if (!(d instanceof DeepDescriptor found)) {
        return;
      }
      deep = found;
      deep.prepare(false);
    } catch (ModelUnavailableException e) {
      fail(name, false, deep != null && deep.embedsText(), e.getMessage());
      return;
    }
    if (!deep.spec().compatibleWith(indexed)) {
      boolean olderVersion = indexed.version() != deep.spec().version();
      fail(name, false, deep.embedsText(), "the index holds " + indexed.title() + " vectors, made "
          + (olderVersion ? "by another version of the descriptor" : "with other model files")
          + " than the ones here (" + deep.spec().title() + "). "
          + (olderVersion ? "" : "Serve with --model-dir pointing to the files the index was built with, or ")
          + (olderVersion ? "Re-run" : "re-run") + " 'imgsearch index' to describe the images again.");
      return;
    }
    ExecutionProviders.Choice provider = deep.executionProvider();
    loaded.put(name, new LoadedModel(name, deep.model().name(), provider.name(), provider.note()));
    if (deep.embedsText()) {
      try {
        deep.prepare(true);
      } catch (ModelUnavailableException e) {
        fail(name, true, true, e.getMessage());
      }
    }
  }

  private void fail(String name, boolean textOnly, boolean embedsText, String reason) {
    Failure earlier = failures.get(name);
    if (earlier != null && !earlier.info().textOnly()) {
      return; // already unusable; the first reason stands
    }
    UnavailableDescriptor info = new UnavailableDescriptor(name, textOnly, reason);
    failures.put(name, new Failure(info, embedsText));
    LOG.warn("{}; {}. {}", info.summary(),
        textOnly ? "searching by words is off" : "searching with the other descriptors", reason);
  }

  /** Whether {@code name} can be searched with (it may still be unable to search by words). */
  synchronized boolean usable(String name) {
    Failure f = failures.get(name);
    return f == null || f.info().textOnly();
  }

  /** Whether {@code name}'s text encoder, if it has one, loaded. */
  synchronized boolean textUsable(String name) {
    return !failures.containsKey(name);
  }

  /** Indexed deep descriptors whose image model loaded, with the execution provider it runs on. */
  synchronized List<LoadedModel> loaded() {
    return List.copyOf(loaded.values());
  }

  /** Where {@code name}'s model runs, when it is a loaded deep descriptor. */
  synchronized Optional<LoadedModel> loaded(String name) {
    return Optional.ofNullable(loaded.get(name));
  }

  synchronized List<UnavailableDescriptor> unavailable() {
    return failures.values().stream().map(Failure::info).toList();
  }

  synchronized Optional<UnavailableDescriptor> find(String name) {
    return Optional.ofNullable(failures.get(name)).map(Failure::info);
  }

  /** The first failed descriptor that could have searched by words. */
  synchronized Optional<UnavailableDescriptor> textFailure() {
    return failures.values().stream().filter(Failure::embedsText).map(Failure::info).findFirst();
  }

  /**
   * {@link #registry} without the descriptors that cannot be used at all, so that nothing (such as
   * {@link imgsearch.search.ImageSearcher}'s default) picks one of them.
   */
  synchronized DescriptorRegistry usableRegistry() {
    DescriptorRegistry usable = new DescriptorRegistry();
    for (String name : registry.names()) {
      if (usable(name)) {
        usable.register(name, registry.description(name), config -> registry.create(name, config));
      }
    }
    return usable;
  }
}
