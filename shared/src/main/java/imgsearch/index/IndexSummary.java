package imgsearch.index;

import imgsearch.image.ImageDecodeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

  /** Longest cause shown for failures whose cause comes from a message (see {@link Failure#cause()}). */
  private static final int MAX_CAUSE_LENGTH = 120;

  public IndexSummary {
    failed = List.copyOf(failed);
  }

  /** The result for one file. */
  public enum Outcome { INDEXED, UNCHANGED, FAILED }

  /** Why a file could not be indexed, coarsely: what a summary counts failures by. */
  public enum FailureKind {
    NOT_AN_IMAGE("not an image"),
    TRUNCATED("truncated"),
    CORRUPT("damaged image data"),
    TOO_MANY_BYTES("file too large"),
    TOO_MANY_PIXELS("too many pixels"),
    CANNOT_READ("cannot read"),
    /** Decoded, but a descriptor failed on it. */
    CANNOT_DESCRIBE("cannot describe"),
    /** A bug in a decoder or descriptor, on this file. */
    UNEXPECTED("unexpected error");

    private final String label;

    FailureKind(String label) {
      this.label = label;
    }

    /** A few words for a summary line, e.g. {@code not an image}. */
    public String label() {
      return label;
    }

    /** The kind of a decoding failure. */
    public static FailureKind of(ImageDecodeException.Reason reason) {
      return switch (reason) {
        case NOT_AN_IMAGE -> NOT_AN_IMAGE;
        case TRUNCATED -> TRUNCATED;
        case CORRUPT -> CORRUPT;
        case TOO_MANY_BYTES -> TOO_MANY_BYTES;
        case TOO_MANY_PIXELS -> TOO_MANY_PIXELS;
        case IO -> CANNOT_READ;
      };
    }
  }

  /**
   * A file that was skipped, and why.
   *
   * @param kind what kind of failure it was
   * @param reason the full message for this file, e.g. for a failure log
   */
  public record Failure(Path path, FailureKind kind, String reason) {

    public Failure {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
      reason = reason == null || reason.isBlank() ? kind.label() : reason;
    }

    /**
     * What failures of the same cause share, to count them: the kind's label; for describe failures and
     * unexpected errors, whose kind says little, the first line of the message (which starts with the
     * label), shortened.
     */
    public String cause() {
      if (kind != FailureKind.CANNOT_DESCRIBE && kind != FailureKind.UNEXPECTED) {
        return kind.label();
      }
      String first = reason.strip().lines().findFirst().orElse("").strip();
      if (!first.startsWith(kind.label())) {
        first = kind.label() + ": " + first;
      }
      return first.length() <= MAX_CAUSE_LENGTH ? first : first.substring(0, MAX_CAUSE_LENGTH - 3) + "...";
    }
  }

  /** How many files failed for one cause. */
  public record FailureCount(String cause, FailureKind kind, int count) {}

  /** Failures counted by {@link Failure#cause()}, most frequent first (ties in order of kind, then cause). */
  public List<FailureCount> failureCounts() {
    Map<String, FailureCount> counts = new LinkedHashMap<>();
    for (Failure f : failed) {
      counts.merge(f.cause(), new FailureCount(f.cause(), f.kind(), 1),
          (a, b) -> new FailureCount(a.cause(), a.kind(), a.count() + 1));
    }
    List<FailureCount> sorted = new ArrayList<>(counts.values());
    sorted.sort(Comparator.comparingInt(FailureCount::count).reversed()
        .thenComparing(FailureCount::kind).thenComparing(FailureCount::cause));
    return sorted;
  }

  /** Image files the run looked at: indexed, unchanged or failed. */
  public int files() {
    return indexed + unchanged + failed.size();
  }

  /** Whether the run found image files and every one of them failed. */
  public boolean allFailed() {
    return !failed.isEmpty() && indexed == 0 && unchanged == 0;
  }

  /** Images per second over the files that were actually described. */
  public double imagesPerSecond() {
    return millis == 0 ? 0 : indexed * 1000.0 / millis;
  }
}
