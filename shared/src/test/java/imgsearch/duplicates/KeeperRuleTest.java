package imgsearch.duplicates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import imgsearch.index.ImageRecord;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeeperRuleTest {

  static DuplicateImage image(String path, int width, int height, long bytes, String modified) {
    return new DuplicateImage(new ImageRecord(path, path, "h", bytes, width, height, null, null, null, Set.of()),
        modified == null ? null : Instant.parse(modified), false, null);
  }

  @Test
  void largestResolutionFirstEvenWhenAnotherFileIsBiggerOrOlder() {
    var choice = KeeperRule.choose(List.of(
        image("/a/small-old-big-file.jpg", 800, 600, 9_000_000, "2001-01-01T00:00:00Z"),
        image("/a/large.jpg", 4000, 3000, 3_000_000, "2024-01-01T00:00:00Z")));
    assertEquals(1, choice.index());
    assertEquals(KeeperRule.Reason.LARGEST_RESOLUTION, choice.reason());
  }

  @Test
  void thenTheLargestFileThenTheOldestThenThePath() {
    var bySize = KeeperRule.choose(List.of(
        image("/a/q50.jpg", 1000, 800, 200_000, "2001-01-01T00:00:00Z"),
        image("/a/q95.jpg", 1000, 800, 900_000, "2024-01-01T00:00:00Z")));
    assertEquals(1, bySize.index());
    assertEquals(KeeperRule.Reason.LARGEST_FILE, bySize.reason());

    var byAge = KeeperRule.choose(List.of(
        image("/b/copy.jpg", 1000, 800, 500_000, "2024-01-01T00:00:00Z"),
        image("/a/unreadable.jpg", 1000, 800, 500_000, null),
        image("/c/original.jpg", 1000, 800, 500_000, "2010-01-01T00:00:00Z")));
    assertEquals(2, byAge.index());
    assertEquals(KeeperRule.Reason.OLDEST, byAge.reason());

    var byPath = KeeperRule.choose(List.of(
        image("/b/x.jpg", 10, 10, 5, "2020-01-01T00:00:00Z"),
        image("/a/x.jpg", 10, 10, 5, "2020-01-01T00:00:00Z")));
    assertEquals(1, byPath.index());
    assertEquals(KeeperRule.Reason.FIRST_PATH, byPath.reason());

    assertThrows(IllegalArgumentException.class, () -> KeeperRule.choose(List.of()));
  }
}
