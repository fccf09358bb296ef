package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.eval.EvaluationException;
import imgsearch.index.IndexUnavailableException;
import imgsearch.search.InvalidQueryException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the user got wrong is one line; anything else, an IllegalArgumentException included, keeps its trace. */
class MainExplainTest {

  private record Explained(int exit, String err) {}

  private static Explained explain(Exception e) {
    StringWriter err = new StringWriter();
    int exit = Main.explain(e, "search", new PrintWriter(err, true),
        CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    return new Explained(exit, err.toString());
  }

  @Test
  void userErrorsAreOneLineWithTheirExitCode() {
    Explained usage = explain(UserError.usage("--k must be at least 1"));
    assertEquals(2, usage.exit());
    assertEquals("imgsearch search: --k must be at least 1", usage.err().strip());

    for (Exception e : new Exception[] {UserError.failure("no such photo"),
        new InvalidQueryException(InvalidQueryException.Reason.UNKNOWN_DESCRIPTOR, "descriptor 'sift' is not in this index"),
        new EvaluationException(EvaluationException.Reason.NO_SPLIT, "the index has no train/test split"),
        new IndexUnavailableException("no index at /x: run 'imgsearch index DIR' first")}) {
      Explained one = explain(e);
      assertEquals(1, one.exit(), one.err());
      assertEquals("imgsearch search: " + e.getMessage(), one.err().strip());
    }
  }

  @Test
  void aSettingTheDescriptorRefusesIsAUsageErrorWithoutTrace(@TempDir Path tmp) throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    CliRun run = CliRun.of("index", photos.toString(), "--index", tmp.resolve("index").toString(),
        "--pixel-size", "5000");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().startsWith("imgsearch index: ") && !run.err().contains("\tat "), run.err());
    assertTrue(run.err().contains("5000"), run.err());
  }

  @Test
  void aMalformedSolrUriIsOneLine() {
    CliRun run = CliRun.of("info", "--index", "solr://localhost:8983");
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().strip().startsWith("imgsearch info: the Solr URI 'solr://localhost:8983' names no collection"),
        run.err());
    assertTrue(!run.err().contains("\tat "), run.err());
  }

  @Test
  void aQuantizationTheBackendDoesNotOfferIsAUsageErrorSaidBeforeConnecting(@TempDir Path tmp) throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    CliRun run = CliRun.of("index", photos.toString(), "--index", "solr://127.0.0.1:9/imgsearch",
        "--descriptors", "edge-colour", "--quantization", "int8");
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().strip().startsWith("imgsearch index: --quantization: a SolrCloud index stores float32"),
        run.err());
  }

  @Test
  void anUnexpectedIllegalArgumentOrStateExceptionIsABugAndPrintsItsStackTrace() {
    for (Exception bug : new Exception[] {new IllegalArgumentException("index 3 out of bounds for length 2"),
        new IllegalStateException("a state that cannot happen")}) {
      Explained e = explain(bug);
      assertEquals(1, e.exit());
      assertTrue(e.err().contains(bug.getClass().getName() + ": " + bug.getMessage()), e.err());
      assertTrue(e.err().contains("\tat "), "the stack trace is printed: " + e.err());
      assertTrue(e.err().strip().endsWith("imgsearch search: " + bug.getMessage()), e.err());
    }
  }
}
