package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code imgsearch demo DIR}: indexes the folder, then serves it; each step reports as its own command. */
class DemoCommandTest {

  @TempDir Path tmp;

  @Test
  void indexesTheFolderThenServesIt() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 4; i++) {
      TestImages.write(photos, "p" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(i, 64, 48), 0.9f));
    }
    ServeCommandTest.UrlWatcher out = new ServeCommandTest.UrlWatcher();
    DemoCommand demo = new DemoCommand();
    CommandLine cmd = new CommandLine(demo).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(new StringWriter(), true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> cmd.execute(photos.toString(), "--index", tmp.resolve("index").toString(), "--port", "0"));
    String url = out.url.get(60, TimeUnit.SECONDS);
    try {
      ServeCommandTest.assertServes(url, 4);
      String printed = out.text.toString();
      assertTrue(printed.contains("Indexing " + photos.toAbsolutePath().normalize()), printed);
      assertTrue(printed.contains("Done: 4 indexed"), printed);
      assertTrue(printed.contains("Serving 4 images"), printed);
    } finally {
      demo.serving.stop();
    }
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
  }

  @Test
  void aFailedIndexStepIsSaidAsTheIndexCommandSaysItAndNothingIsServed() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(photos.resolve("broken.jpg"), "not a photo");
    CliRun run = CliRun.of("demo", photos.toString(), "--index", tmp.resolve("index").toString(), "--port", "0");
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("imgsearch index: none of the 1 image files could be indexed"), run.err());
    assertTrue(!run.out().contains("Serving"), run.out());
  }

  @Test
  void aMissingFolderIsAUsageError() {
    CliRun run = CliRun.of("demo", tmp.resolve("nowhere").toString(), "--index", tmp.resolve("index").toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("imgsearch demo: " + tmp.resolve("nowhere") + " is not a folder"), run.err());
  }
}
