package imgsearch.model;

import java.nio.file.Path;

/**
 * System properties DJL reads, set before its first use unless the user set them already.
 *
 * <p>{@code OPT_OUT_TRACKING}: without it DJL asks the EC2 metadata address for an instance id on
 * startup (telemetry); imgsearch never contacts anything but the model URLs. {@code ai.djl.offline}:
 * DJL must not fetch native libraries; the ONNX Runtime and tokenizer jars carry them. {@code
 * DJL_CACHE_DIR}: where DJL unpacks those natives, inside imgsearch's model cache instead of
 * {@code ~/.djl.ai}.
 */
public final class DjlEnvironment {

  private DjlEnvironment() {}

  /** Sets the properties that are not set yet. Idempotent. */
  public static synchronized void prepare(Path cacheDir) {
    setIfAbsent("OPT_OUT_TRACKING", "true");
    setIfAbsent("ai.djl.offline", "true");
    if (System.getenv("DJL_CACHE_DIR") == null) {
      setIfAbsent("DJL_CACHE_DIR", cacheDir.resolve("djl").toString());
    }
    if (System.getenv("ENGINE_CACHE_DIR") == null) {
      setIfAbsent("ENGINE_CACHE_DIR", cacheDir.resolve("djl").toString());
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null && System.getenv(key) == null) {
      System.setProperty(key, value);
    }
  }
}
