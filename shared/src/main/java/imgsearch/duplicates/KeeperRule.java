package imgsearch.duplicates;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Which image of a group to keep: the largest resolution (width x height), then the largest file, then the
 * oldest (file modification time; unknown counts as newest), then the first path, so the choice is always the
 * same. It is a suggestion: nothing is ever deleted or moved.
 */
public final class KeeperRule {
  private KeeperRule() {}

  /** Why an image was suggested. */
  public enum Reason {
    LARGEST_RESOLUTION("largest resolution"),
    LARGEST_FILE("largest file"),
    OLDEST("oldest"),
    FIRST_PATH("all alike; first by path");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    /** A few words, e.g. {@code largest resolution}. */
    public String text() {
      return text;
    }
  }

  /** The image to keep among {@code candidates} and why. */
  public record Choice(int index, Reason reason) {}

  /** Best first. */
  public static final Comparator<DuplicateImage> ORDER = Comparator
      .comparingLong((DuplicateImage d) -> -pixels(d))
      .thenComparingLong(d -> -d.image().sizeBytes())
      .thenComparing(DuplicateImage::modified, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
      .thenComparing(d -> d.image().path());

  /** The best of {@code candidates} (at least one) and the first rule that set it apart from the runner-up. */
  public static Choice choose(List<DuplicateImage> candidates) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no image to choose from");
    }
    int best = 0;
    for (int i = 1; i < candidates.size(); i++) {
      if (ORDER.compare(candidates.get(i), candidates.get(best)) < 0) {
        best = i;
      }
    }
    DuplicateImage keeper = candidates.get(best);
    DuplicateImage runnerUp = null;
    for (int i = 0; i < candidates.size(); i++) {
      if (i != best && (runnerUp == null || ORDER.compare(candidates.get(i), runnerUp) < 0)) {
        runnerUp = candidates.get(i);
      }
    }
    return new Choice(best, runnerUp == null ? Reason.FIRST_PATH : reason(keeper, runnerUp));
  }

  private static Reason reason(DuplicateImage keeper, DuplicateImage runnerUp) {
    if (pixels(keeper) != pixels(runnerUp)) {
      return Reason.LARGEST_RESOLUTION;
    }
    if (keeper.image().sizeBytes() != runnerUp.image().sizeBytes()) {
      return Reason.LARGEST_FILE;
    }
    if (keeper.modified() != null && !keeper.modified().equals(runnerUp.modified())) {
      return Reason.OLDEST;
    }
    return Reason.FIRST_PATH;
  }

  private static long pixels(DuplicateImage d) {
    return (long) d.image().width() * d.image().height();
  }
}
