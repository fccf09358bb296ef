package imgsearch.descriptor.deep;

import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.file.ByteSizes;
import imgsearch.model.ModelCatalog;
import imgsearch.model.ModelOptions;
import imgsearch.model.ModelSpec;
import java.util.Locale;

/**
 * Registers the deep descriptors ({@code clip}, {@code resnet50}) in a registry. Neither registering
 * nor creating a descriptor downloads or loads anything: a model is fetched (if needed) and loaded when
 * its descriptor first describes an image or a text, so a missing model never gets in the way of the
 * classic descriptors. Failures surface as {@link imgsearch.model.ModelUnavailableException}.
 */
public final class DeepDescriptors {

  private DeepDescriptors() {}

  /**
   * Registers the standard catalogue's descriptors.
   *
   * @return the shared models; close it at shutdown to release ONNX Runtime sessions
   */
  public static DeepModels register(DescriptorRegistry registry, ModelOptions options) {
    return register(registry, options, ModelCatalog.standard());
  }

  /** Registers the descriptors of {@code catalog} (tests pass a catalogue of tiny models). */
  public static DeepModels register(DescriptorRegistry registry, ModelOptions options, ModelCatalog catalog) {
    DeepModels models = new DeepModels(catalog, options);
    for (String name : catalog.descriptorNames()) {
      ModelSpec model = catalog.defaultFor(name).orElseThrow();
      registry.register(name, description(model), config -> models.descriptor(name, config));
    }
    return models;
  }

  private static String description(ModelSpec model) {
    return String.format(Locale.ROOT, "%s; %d-d, dot product%s; model %s (%s, fetched on first use)",
        model.title(), model.dimension(), model.embedsText() ? ", text search" : "", model.name(),
        ByteSizes.decimal(model.size()));
  }
}
