package imgsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imgsearch.duplicates.DuplicateGroup;
import imgsearch.duplicates.DuplicateImage;
import imgsearch.duplicates.KeeperRule;
import imgsearch.index.ImageRecord;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuplicateSetTest {

  @TempDir Path dir;

  @Test
  void pairsAreCountedAgainstTheFolderLayout() throws IOException {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(1, 16, 16), 0.9f);
    for (String f : List.of("a/original.jpg", "a/crop90.jpg", "a/burst1.jpg", "a/burst2.jpg", "b/original.jpg",
        "b/copy.jpg", "singles/x.jpg", "singles/y.jpg", "z.jpg")) {
      Path p = dir.resolve(f);
      Files.createDirectories(p.getParent());
      Files.write(p, jpeg);
    }
    DuplicateSet set = DuplicateSet.read(dir);
    assertEquals(9, set.images());
    assertEquals(2, set.groups());
    assertEquals(3, set.singles());
    assertEquals(6 + 1, set.truePairs());

    // Found: a's original with its crop and one burst (3 pairs, right), b's copy with a single (1 pair, wrong).
    DuplicateSet.Score s = set.score(List.of(group("a/original.jpg", "a/crop90.jpg", "a/burst1.jpg"),
        group("b/copy.jpg", "singles/x.jpg")));
    assertEquals(4, s.found());
    assertEquals(3, s.correct());
    assertEquals(0.75, s.precision(), 1e-12);
    assertEquals(3 / 7.0, s.recall(), 1e-12);
    assertEquals(Map.of("burst", 0.5, "crop", 1.0, "copy", 0.0), s.recallByKind());
    assertEquals(List.of("b/copy.jpg ~ singles/x.jpg"), s.wrongPairs());
    assertEquals("burst", DuplicateSet.kind(Path.of("burst-2.jpg")));
    assertEquals("crop", DuplicateSet.kind(Path.of("crop90.jpg")));
  }

  private DuplicateGroup group(String... files) {
    List<DuplicateImage> images = new ArrayList<>();
    for (String f : files) {
      String path = dir.resolve(f).toString();
      images.add(new DuplicateImage(new ImageRecord(path, path, "h", 1, 1, 1, null, null, null, Set.of()), null,
          images.isEmpty(), images.isEmpty() ? null : 0.99));
    }
    return new DuplicateGroup(images, KeeperRule.Reason.FIRST_PATH, 0.99);
  }
}
