package imgsearch.descriptor.deep;

import imgsearch.model.DjlEnvironment;
import imgsearch.model.ExecutionProviders;
import imgsearch.model.ModelCatalog;
import imgsearch.model.ModelFile;
import imgsearch.model.ModelOptions;
import imgsearch.model.ModelSpec;
import imgsearch.model.ModelStore;
import imgsearch.model.ModelStore.LocalFile;
import imgsearch.model.ModelUnavailableException;
import imgsearch.model.ModelUnavailableException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deep models of one program: resolves their files (downloading when allowed) and loads each model
 * once, shared by every descriptor and thread. Closing it releases the ONNX Runtime sessions.
 */
public final class DeepModels implements AutoCloseable {

  private final ModelCatalog catalog;
  private final ModelStore store;
  private final ExecutionProviders providers;
  private final Map<String, ImageEncoder> imageEncoders = new HashMap<>();
  private final Map<String, TextEncoder> textEncoders = new HashMap<>();
  private final Map<String, DeepDescriptor> descriptors = new LinkedHashMap<>();

  public DeepModels(ModelCatalog catalog, ModelOptions options) {
    this.catalog = catalog;
    this.store = new ModelStore(options);
    this.providers = new ExecutionProviders(options.device());
    DjlEnvironment.prepare(options.cacheDir());
  }

  public ModelCatalog catalog() {
    return catalog;
  }

  public ModelStore store() {
    return store;
  }

  /**
   * The descriptor {@code name} in configuration {@code config}: {@code ""} for the default model, or a
   * stored {@code model=NAME,sha=...} string. Nothing is downloaded or loaded here (a file in a model
   * folder is hashed, once); that happens when the descriptor first describes something, or on
   * {@link DeepDescriptor#prepare(boolean)}.
   */
  public synchronized DeepDescriptor descriptor(String name, String config) {
    ModelSpec spec = modelFor(name, config);
    String sha = store.identify(spec, spec.image().file());
    String key = name + "|" + spec.name() + "|" + sha;
    return descriptors.computeIfAbsent(key, k -> new DeepDescriptor(name, spec, sha, this));
  }

  /** Resolves (downloading if needed) and loads the image encoder whose file has SHA-256 {@code sha}. */
  synchronized ImageEncoder imageEncoder(ModelSpec spec, String sha) {
    String key = spec.name() + "|" + sha;
    ImageEncoder encoder = imageEncoders.get(key);
    if (encoder == null) {
      ModelFile wanted = spec.image().file();
      LocalFile file = store.locate(spec, wanted);
      if (!file.sha256().equals(sha)) {
        throw new ModelUnavailableException(Reason.CHECKSUM, spec.name(), file.path() + " changed while imgsearch"
            + " was running (SHA-256 " + file.sha256() + ", was " + sha + "); run the command again.");
      }
      try {
        encoder = ImageEncoder.load(spec, file, store.options().cacheDir().resolve("derived"),
            store.options().batchSize(), providers);
      } catch (ModelUnavailableException e) {
        throw withPublishedNote(e, wanted, file);
      }
      store.warnIfNotPublished(spec, wanted, file);
      imageEncoders.put(key, encoder);
    }
    return encoder;
  }

  synchronized TextEncoder textEncoder(ModelSpec spec) {
    TextEncoder encoder = textEncoders.get(spec.name());
    if (encoder == null) {
      LocalFile model = store.locate(spec, spec.text().file());
      LocalFile tokenizer = store.locate(spec, spec.text().tokenizer());
      try {
        encoder = TextEncoder.load(spec, model, tokenizer, providers);
      } catch (ModelUnavailableException e) {
        throw withPublishedNote(withPublishedNote(e, spec.text().file(), model), spec.text().tokenizer(), tokenizer);
      }
      store.warnIfNotPublished(spec, spec.text().file(), model);
      store.warnIfNotPublished(spec, spec.text().tokenizer(), tokenizer);
      textEncoders.put(spec.name(), encoder);
    }
    return encoder;
  }

  /**
   * A load failure of a file that is not the published one says so, in the same message: the warning
   * that it is "used as given" is only logged for files that loaded.
   */
  private static ModelUnavailableException withPublishedNote(ModelUnavailableException e, ModelFile wanted,
      LocalFile found) {
    if (ModelStore.isPublished(wanted, found)) {
      return e;
    }
    return e.withNote("(" + found.path().getFileName() + " is not the published file: SHA-256 "
        + found.sha256().substring(0, 12) + "..., published " + wanted.sha256().substring(0, 12) + "...)");
  }

  private ModelSpec modelFor(String name, String config) {
    String model = null;
    for (String part : config.split(",")) {
      String p = part.trim();
      if (p.startsWith("model=")) {
        model = p.substring("model=".length());
      } else if (!p.isEmpty() && !p.startsWith("sha=")) {
        throw new IllegalArgumentException("unknown setting '" + p + "' for descriptor " + name
            + "; expected model=NAME");
      }
    }
    if (model == null) {
      return catalog.defaultFor(name).orElseThrow(() -> new IllegalArgumentException("no model for descriptor " + name));
    }
    String wanted = model;
    ModelSpec spec = catalog.find(wanted).orElseThrow(() -> new ModelUnavailableException(Reason.UNKNOWN_MODEL,
        wanted, "this version of imgsearch does not know it (known: "
            + String.join(", ", catalog.models().stream().map(ModelSpec::name).toList()) + ")."));
    if (!spec.descriptor().equals(name)) {
      throw new IllegalArgumentException("model " + wanted + " belongs to descriptor " + spec.descriptor()
          + ", not " + name);
    }
    return spec;
  }

  @Override
  public synchronized void close() {
    List<AutoCloseable> all = new ArrayList<>(imageEncoders.values());
    all.addAll(textEncoders.values());
    imageEncoders.clear();
    textEncoders.clear();
    descriptors.clear();
    RuntimeException failure = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing a model failed", e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
