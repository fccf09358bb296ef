package imgsearch.model;

import imgsearch.model.ExecutionProviders.Preference;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where model files come from.
 *
 * @param cacheDir where downloads are kept (and derived files written); created on demand
 * @param modelDir when set, files are read from this folder ({@code DIR/<model>/<file>} or
 *     {@code DIR/<file>}) and nothing is downloaded
 * @param mirror when set, files are downloaded from {@code <mirror>/<model>/<file>} instead of their
 *     published URLs (tests point it at a loopback server)
 * @param downloads told about download progress
 * @param batchSize images per inference call; 0 chooses one for the device
 * @param device which ONNX Runtime execution provider to use ({@code --device})
 */
public record ModelOptions(Path cacheDir, Path modelDir, URI mirror, DownloadListener downloads, int batchSize,
    Preference device) {

  /** Environment variable naming a local model folder. */
  public static final String ENV_MODEL_DIR = "IMGSEARCH_MODEL_DIR";
  /** Environment variable choosing the execution provider: auto, cpu or cuda. */
  public static final String ENV_DEVICE = "IMGSEARCH_DEVICE";
  /** Environment variable naming the download cache. */
  public static final String ENV_MODEL_CACHE = "IMGSEARCH_MODEL_CACHE";

  public ModelOptions {
    if (cacheDir == null) {
      throw new IllegalArgumentException("cacheDir is required");
    }
    cacheDir = cacheDir.toAbsolutePath().normalize();
    modelDir = modelDir == null ? null : modelDir.toAbsolutePath().normalize();
    downloads = downloads == null ? DownloadListener.NONE : downloads;
    if (batchSize < 0) {
      throw new IllegalArgumentException("batch size must not be negative");
    }
    device = device == null ? Preference.AUTO : device;
  }

  /** Options with the automatic choice of execution provider. */
  public ModelOptions(Path cacheDir, Path modelDir, URI mirror, DownloadListener downloads, int batchSize) {
    this(cacheDir, modelDir, mirror, downloads, batchSize, Preference.AUTO);
  }

  /** Default cache, no model folder, published URLs, silent downloads. */
  public static ModelOptions defaults() {
    return new ModelOptions(defaultCacheDir(), null, null, DownloadListener.NONE, 0);
  }

  /**
   * Like {@link #defaults()}, but honouring {@code IMGSEARCH_MODEL_DIR}, {@code IMGSEARCH_MODEL_CACHE} and
   * {@code IMGSEARCH_DEVICE}.
   */
  public static ModelOptions fromEnvironment() {
    String dir = System.getenv(ENV_MODEL_DIR);
    String device = System.getenv(ENV_DEVICE);
    return defaults().withModelDir(dir == null || dir.isBlank() ? null : Path.of(dir))
        .withDevice(device == null || device.isBlank() ? Preference.AUTO : Preference.parse(device));
  }

  /**
   * {@code $IMGSEARCH_MODEL_CACHE}, else {@code $XDG_CACHE_HOME/imgsearch/models}, else
   * {@code ~/.cache/imgsearch/models}.
   */
  public static Path defaultCacheDir() {
    String explicit = System.getenv(ENV_MODEL_CACHE);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("imgsearch").resolve("models");
  }

  public ModelOptions withCacheDir(Path dir) {
    return new ModelOptions(dir, modelDir, mirror, downloads, batchSize, device);
  }

  public ModelOptions withModelDir(Path dir) {
    return new ModelOptions(cacheDir, dir, mirror, downloads, batchSize, device);
  }

  public ModelOptions withMirror(URI uri) {
    return new ModelOptions(cacheDir, modelDir, uri, downloads, batchSize, device);
  }

  public ModelOptions withDownloads(DownloadListener listener) {
    return new ModelOptions(cacheDir, modelDir, mirror, listener, batchSize, device);
  }

  public ModelOptions withBatchSize(int size) {
    return new ModelOptions(cacheDir, modelDir, mirror, downloads, size, device);
  }

  public ModelOptions withDevice(Preference preference) {
    return new ModelOptions(cacheDir, modelDir, mirror, downloads, batchSize, preference);
  }
}
