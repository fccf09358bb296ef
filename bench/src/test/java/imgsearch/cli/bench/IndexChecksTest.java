package imgsearch.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.index.ImageRecord;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks the kill harness relies on catch what they are there to catch. */
class IndexChecksTest {

  @TempDir Path tmp;

  private static Check named(IndexChecks.IndexState state, String name) {
    return state.checks().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " check in " + state.checks()));
  }

  @Test
  void aCompleteIndexPassesEveryCheck() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 12);
    BenchPhotos.index(photos, tmp.resolve("index"));
    IndexChecks.IndexState state = new IndexChecks(PhotoFolder.of(photos)).inspect(tmp.resolve("index"), true, true, new Random(1));
    assertTrue(state.passed(), state.checks().toString());
    assertTrue(named(state, "search-by-image").detail().contains("itself first"), state.checks().toString());
  }

  @Test
  void aPhotoMissingFromTheIndexIsALostPhoto() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 12);
    BenchPhotos.index(photos, tmp.resolve("index"));
    TestImages.write(photos, "added-later.jpg", TestImages.jpeg(TestImages.photoLike(99, 160, 120), 0.9f));
    IndexChecks checks = new IndexChecks(PhotoFolder.of(photos));
    assertTrue(checks.inspect(tmp.resolve("index"), true, false, new Random(1)).passed(), "after a kill, missing is fine");
    Check complete = named(checks.inspect(tmp.resolve("index"), true, true, new Random(1)), "complete");
    assertFalse(complete.passed());
    assertTrue(complete.detail().contains("lost 1"), complete.detail());
  }

  @Test
  void aPhotoIndexedTwiceIsCaught() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 12);
    Path indexDir = tmp.resolve("index");
    BenchPhotos.index(photos, indexDir);
    try (LuceneImageIndex index = LuceneImageIndex.open(indexDir)) {
      ImageRecord r = index.list(imgsearch.index.ImageFilter.ALL, 0, 1).get(0);
      float[] v = index.vector(r.id(), "edge-colour").orElseThrow();
      index.upsert(new ImageRecord("0000000000000000", r.path(), r.contentHash(), r.sizeBytes(), r.width(), r.height(),
          null, null, null, java.util.Set.of("edge-colour")), Map.of("edge-colour", v));
    }
    Check records = named(new IndexChecks(PhotoFolder.of(photos)).inspect(indexDir, true, false, new Random(1)), "records");
    assertFalse(records.passed());
    assertTrue(records.detail().contains("twice"), records.detail());
  }

  @Test
  void aPhotoChangedSinceItWasIndexedIsCaught() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 12);
    Path indexDir = tmp.resolve("index");
    BenchPhotos.index(photos, indexDir);
    Files.write(PhotoFolder.of(photos).files().get(3), TestImages.jpeg(TestImages.photoLike(4242, 160, 120), 0.9f));
    Check records = named(new IndexChecks(PhotoFolder.of(photos)).inspect(indexDir, true, false, new Random(1)), "records");
    assertFalse(records.passed());
    assertTrue(records.detail().contains("has hash"), records.detail());
  }

  @Test
  void noCommitIsFineOnlyBeforeTheFirstOne() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 2);
    Path empty = Files.createDirectories(tmp.resolve("index/lucene"));
    IndexChecks checks = new IndexChecks(PhotoFolder.of(photos));
    assertTrue(checks.inspect(empty.getParent(), false, false, new Random(1)).passed());
    assertFalse(checks.inspect(empty.getParent(), true, false, new Random(1)).passed());
    assertFalse(checks.inspect(empty.getParent(), false, true, new Random(1)).passed());
  }

  @Test
  void aDamagedSegmentFailsCheckIndex() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 6);
    Path indexDir = tmp.resolve("index");
    BenchPhotos.index(photos, indexDir);
    Path biggest;
    try (var files = Files.list(indexDir.resolve("lucene"))) {
      biggest = files.filter(f -> !f.getFileName().toString().startsWith("segments") && !f.getFileName().toString().equals("write.lock"))
          .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(biggest);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(biggest, bytes);
    assertFalse(IndexChecks.luceneCheckIndex(indexDir.resolve("lucene")).passed(), biggest.toString());
  }

  @Test
  void tallyCountsPassesPerCheck() {
    var tally = IndexChecks.tally(List.of(List.of(Check.pass("a", ""), Check.fail("b", "")),
        List.of(Check.pass("a", ""), Check.pass("b", ""))));
    assertTrue(tally.get("a")[0] == 2 && tally.get("a")[1] == 2 && tally.get("b")[0] == 1, tally.toString());
  }
}
