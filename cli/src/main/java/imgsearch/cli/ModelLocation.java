package imgsearch.cli;

import imgsearch.model.ExecutionProviders.Preference;
import imgsearch.model.ModelOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that say where deep model files come from, shared by every command that can compute a
 * deep descriptor: {@code --model-dir DIR} reads them from a folder and never downloads (also
 * {@code $IMGSEARCH_MODEL_DIR}); {@code --model-cache DIR} moves the download cache (also
 * {@code $IMGSEARCH_MODEL_CACHE}; default {@code ~/.cache/imgsearch/models}); {@code --device} chooses the
 * ONNX Runtime execution provider (also {@code $IMGSEARCH_DEVICE}).
 */
public final class ModelLocation {

  /** Environment variable for a download mirror laid out as {@code URL/<model>/<file>}. */
  static final String ENV_MIRROR = "IMGSEARCH_MODEL_MIRROR";

  @Option(names = "--model-dir", paramLabel = "DIR",
      description = "Read deep model files from DIR (DIR/<model>/<file> or DIR/<file>) and never download"
          + " (default: $IMGSEARCH_MODEL_DIR). `imgsearch models` lists the files.")
  Path modelDir;

  @Option(names = "--model-cache", paramLabel = "DIR",
      description = "Where downloaded models are kept (default: $IMGSEARCH_MODEL_CACHE, else"
          + " $XDG_CACHE_HOME/imgsearch/models or ~/.cache/imgsearch/models).")
  Path modelCache;

  @Option(names = "--device", paramLabel = "auto|cpu|cuda",
      description = "Where deep models run: auto (CUDA when this build of ONNX Runtime has it and it starts, else"
          + " the CPU), cpu, or cuda (fail rather than fall back). Default: $IMGSEARCH_DEVICE, else auto.")
  String device;

  @Option(names = "--model-mirror", paramLabel = "URL", hidden = true,
      description = "Download model files from URL/<model>/<file> instead of their published URLs"
          + " (default: $IMGSEARCH_MODEL_MIRROR).")
  URI mirror;

  /** Options for this command line, drawing download progress on {@code err}. */
  public ModelOptions options(PrintWriter err) {
    ModelOptions options = ModelOptions.defaults()
        .withCacheDir(modelCache != null ? modelCache : ModelOptions.defaultCacheDir())
        .withModelDir(modelDir != null ? modelDir : env(ModelOptions.ENV_MODEL_DIR).map(Path::of).orElse(null))
        .withMirror(mirror != null ? mirror : env(ENV_MIRROR).map(URI::create).orElse(null))
        .withDevice(device());
    return options.withDownloads(DownloadProgress.forConsole(err));
  }

  /** This location where set, else {@code fallback}'s (for options given before a subcommand). */
  ModelLocation orElse(ModelLocation fallback) {
    ModelLocation merged = new ModelLocation();
    merged.modelDir = modelDir != null ? modelDir : fallback.modelDir;
    merged.modelCache = modelCache != null ? modelCache : fallback.modelCache;
    merged.mirror = mirror != null ? mirror : fallback.mirror;
    merged.device = device != null ? device : fallback.device;
    return merged;
  }

  private Preference device() {
    String value = device != null ? device : env(ModelOptions.ENV_DEVICE).orElse("auto");
    try {
      return Preference.parse(value);
    } catch (IllegalArgumentException e) {
      throw UserError.usage((device != null ? "--device: " : "$" + ModelOptions.ENV_DEVICE + ": ") + e.getMessage());
    }
  }

  private static java.util.Optional<String> env(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value);
  }
}
