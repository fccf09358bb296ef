package imgsearch.model;

import java.util.regex.Pattern;

/**
 * One file of a catalogued model, as its publisher serves it.
 *
 * @param name file name in the download cache and in a {@code --model-dir} folder, e.g. {@code vision.onnx}
 * @param url where the file is published (pinned to a revision, so the bytes cannot change under us)
 * @param sha256 the published SHA-256 of the file, 64 lower-case hex digits; a download must match it
 * @param size the published size in bytes
 */
public record ModelFile(String name, String url, String sha256, long size) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ModelFile {
    if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("model file name must be a plain file name: '" + name + "'");
    }
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException(name + ": SHA-256 must be 64 lower-case hex digits, got '" + sha256 + "'");
    }
    if (size <= 0) {
      throw new IllegalArgumentException(name + ": size must be positive");
    }
  }
}
