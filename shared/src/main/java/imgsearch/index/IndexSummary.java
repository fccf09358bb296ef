package imgsearch.index;

import java.nio.file.Path;
import java.util.List;

/**
 * What an indexing run did.
 *
 * @param indexed images newly described or re-described
 * @param unchanged images skipped because their content and descriptors were already current
 * @param removed index entries dropped because their file is gone
 * @param failed files that could not be indexed, with the reason
 * @param cancelled whether the run was stopped early (what was done is committed)
 * @param millis wall time
 */
public record IndexSummary(int indexed, int unchanged, int removed, List<Failure> failed, boolean cancelled,
    long millis) {

  public IndexSummary {
    failed = List.copyOf(failed);
  }

  /** The result for one file. */
  public enum Outcome { INDEXED, UNCHANGED, FAILED }

  /** A file that was skipped, and why. */
  public record Failure(Path path, String reason) {}

  /** Images per second over the files that were actually described. */
  public double imagesPerSecond() {
    return millis == 0 ? 0 : indexed * 1000.0 / millis;
  }
}
