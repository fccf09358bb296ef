package imgsearch.index;

import java.nio.file.Path;

/** Hears about an {@link Indexer} run as it goes, e.g. to draw a progress bar. Called from worker threads. */
public interface IndexListener {

  /** A listener that ignores everything. */
  IndexListener NONE = new IndexListener() {};

  /** The folder has been walked: {@code total} image files will be looked at. */
  default void started(int total) {}

  /** One file is done, whatever the outcome. */
  default void fileDone(Path file, IndexSummary.Outcome outcome) {}

  /** One file was skipped because it could not be read or decoded. */
  default void fileFailed(Path file, String reason) {}

  /** The run has committed its work so far. */
  default void committed(int filesDone) {}
}
