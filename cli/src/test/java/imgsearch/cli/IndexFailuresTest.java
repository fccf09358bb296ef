package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imgsearch index} over files that cannot be indexed: the summary counts each reason once, the
 * files are listed in a log (and on screen only with --verbose), and the exit code says whether
 * anything could be indexed.
 */
class IndexFailuresTest {

  private static final Pattern LOG_LINE = Pattern.compile("Failed files are listed in (\\S+\\.txt)");

  @TempDir Path tmp;

  /** Twelve web pages saved as .jpg and three cut-off JPEGs. */
  private Path brokenFiles(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < 12; i++) {
      TestImages.write(dir, "page" + i + ".jpg", TestImages.html());
    }
    for (int i = 0; i < 3; i++) {
      TestImages.write(dir, "cut" + i + ".jpg",
          TestImages.truncated(TestImages.jpeg(TestImages.photoLike(i, 64, 48), 0.9f), 300));
    }
    return dir;
  }

  @Test
  void aFolderOfBrokenFilesExitsOneWithEachReasonCountedOnce() throws IOException {
    Path data = brokenFiles(tmp.resolve("broken"));
    Path index = tmp.resolve("index");
    CliRun r = CliRun.of("index", data.toString(), "--index", index.toString(), "--descriptors", "hsv-hist");

    assertEquals(1, r.exit(), r.all());
    assertTrue(r.out().contains("0 indexed, 0 unchanged, 0 removed, 15 failed"), r.out());
    assertTrue(r.out().contains("\n  12 not an image\n  3 truncated\n"), r.out());
    assertFalse((r.out() + r.err()).contains("page0.jpg"), "no per-file lines without --verbose: " + r.all());
    assertTrue(r.out().lines().count() <= 5, "a short summary: " + r.out());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("imgsearch index:")).toList();
    assertEquals(List.of("imgsearch index: none of the 15 image files could be indexed (12 not an image, 3 truncated)"),
        errors, r.all());
    assertFalse(r.all().contains("\tat "), r.all());

    Path log = logOf(r);
    assertTrue(log.startsWith(index.resolve("logs")), log.toString());
    String listed = Files.readString(log);
    for (int i = 0; i < 12; i++) {
      assertTrue(listed.contains(data.resolve("page" + i + ".jpg") + "\tnot an image\tthe file is not an image"), listed);
    }
    assertTrue(listed.contains(data.resolve("cut2.jpg") + "\ttruncated\t"), listed);
  }

  @Test
  void verbosePrintsEveryFailedFileOnce() throws IOException {
    Path data = brokenFiles(tmp.resolve("broken"));
    CliRun r = CliRun.of("index", data.toString(), "--index", tmp.resolve("index").toString(), "--descriptors",
        "hsv-hist", "--verbose");
    assertEquals(1, r.exit(), r.all());
    for (int i = 0; i < 12; i++) {
      String file = data.resolve("page" + i + ".jpg").toString();
      assertEquals(1, r.out().lines().filter(l -> l.contains(file)).count(), r.out());
    }
    assertTrue(r.out().contains("  " + data.resolve("cut0.jpg") + ": the file is truncated"), r.out());
    assertTrue(r.out().contains("\n  12 not an image\n"), r.out());
    assertTrue(Files.isRegularFile(logOf(r)), "the log is written as well");
  }

  @Test
  void aMixedFolderExitsZeroAndStillCountsItsFailures() throws IOException {
    Path data = brokenFiles(tmp.resolve("mixed"));
    for (int i = 0; i < 3; i++) {
      TestImages.write(data, "photo" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(10 + i, 64, 48), 0.9f));
    }
    Path index = tmp.resolve("index");
    CliRun r = CliRun.of("index", data.toString(), "--index", index.toString(), "--descriptors", "hsv-hist");
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("3 indexed, 0 unchanged, 0 removed, 15 failed"), r.out());
    assertTrue(r.out().contains("\n  12 not an image\n  3 truncated\n"), r.out());
    assertFalse(r.err().contains("imgsearch index:"), r.all());

    CliRun again = CliRun.of("index", data.toString(), "--index", index.toString(), "--descriptors", "hsv-hist");
    assertEquals(0, again.exit(), "unchanged images count as success: " + again.all());
    try (Stream<Path> logs = Files.list(index.resolve("logs"))) {
      assertEquals(2, logs.count(), "one log per run, none overwritten");
    }
  }

  @Test
  void helpStatesTheExitCodes() {
    CliRun r = CliRun.of("index", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertTrue(r.out().contains("some files failed but others were indexed"), r.out());
    assertTrue(r.out().contains("--verbose"), r.out());
  }

  private static Path logOf(CliRun r) {
    Matcher m = LOG_LINE.matcher(r.out());
    assertTrue(m.find(), "the summary names the failure log: " + r.out());
    return Path.of(m.group(1));
  }
}
