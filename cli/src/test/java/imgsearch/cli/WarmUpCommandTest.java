package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher's hidden warm-up run: every step it takes succeeds, it leaves nothing behind, --help hides it. */
class WarmUpCommandTest {

  @Test
  void indexesAndSearchesInATemporaryFolderItThenRemoves() throws IOException {
    List<Path> before = warmUpFolders();
    CliRun run = CliRun.of("warm-up");
    assertEquals(0, run.exit(), run.all());
    assertEquals("", run.out() + run.err(), "its output is discarded: " + run.all());
    assertEquals(before, warmUpFolders());
    assertFalse(CliRun.of("--help").out().contains("warm-up"));
  }

  private static List<Path> warmUpFolders() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.filter(p -> p.getFileName().toString().startsWith("imgsearch-warm-up")).sorted().toList();
    }
  }
}
