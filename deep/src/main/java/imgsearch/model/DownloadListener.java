package imgsearch.model;

/**
 * Hears about model downloads, so a command line can draw a progress bar without this library
 * depending on one. Downloads run one at a time; calls come from the downloading thread.
 */
public interface DownloadListener {

  /** A listener that ignores everything. */
  DownloadListener NONE = new DownloadListener() {};

  /**
   * A download begins.
   *
   * @param label what is downloaded, e.g. {@code clip-vit-b32/vision.onnx}
   * @param totalBytes the expected size
   * @param resumedFrom bytes already on disk from an earlier, interrupted attempt
   */
  default void started(String label, long totalBytes, long resumedFrom) {}

  /** Bytes on disk so far, including {@code resumedFrom}. */
  default void progressed(String label, long bytesOnDisk) {}

  /** The download ended: {@code ok} when the file is complete and verified. */
  default void finished(String label, boolean ok) {}
}
