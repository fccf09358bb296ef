package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.testing.DuplicateCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench duplicates} on a small set laid out as the bench expects. */
class BenchDuplicatesCommandTest {

  @TempDir Path tmp;

  @Test
  void reportsPairPrecisionAndRecallPerThresholdAndSuggestsOne() throws IOException {
    Path photos = DuplicateCollection.write(tmp.resolve("photos"));
    Path set = tmp.resolve("set");
    for (Map.Entry<String, List<String>> g : DuplicateCollection.GROUPS.entrySet()) {
      for (int i = 0; i < g.getValue().size(); i++) {
        String name = i == 0 ? "original.jpg" : "edit" + i + ".jpg";
        copy(photos.resolve(g.getValue().get(i)), set.resolve(g.getKey()).resolve(name));
      }
    }
    for (String single : DuplicateCollection.UNRELATED) {
      copy(photos.resolve(single), set.resolve("singles").resolve(Path.of(single).getFileName()));
    }
    CliRun r = CliRun.of("bench", "duplicates", set.toString(), "--descriptor", "edge-colour");
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("15 images, 3 groups of near-duplicates, 6 singles, 9 near-duplicate pairs"), r.out());
    String t = DuplicateMeasure.EDGE_COLOUR.format(DuplicateMeasure.EDGE_COLOUR_DEFAULT);
    assertTrue(r.out().contains("| **" + t + "** (default) | 3 | 9 | 1.000 | 1.000 | 1.000 |"), r.out());
    assertTrue(r.out().contains("Suggested (highest recall at pair precision >= 0.98): "), r.out());
    assertTrue(r.out().contains("| edit | 1.00 |"), r.out());

    CliRun held = CliRun.of("bench", "duplicates", set.toString(), "--descriptor", "phash", "--threshold", "6");
    assertEquals(0, held.exit(), held.all());
    assertTrue(held.out().contains("| **6** (default) | 3 |"), held.out());
    assertEquals(2, CliRun.of("bench", "duplicates", set.toString(), "--threshold", "0.9").exit(),
        "a threshold needs a descriptor");
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to);
  }
}
