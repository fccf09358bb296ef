package imgsearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the command line as a user would and keeps everything it printed: its output and error
 * streams, and what the libraries logged on {@code System.err} (slf4j-simple looks {@code System.err}
 * up on every line), so tests can check that a failure is said once.
 *
 * @param log what was logged on {@code System.err} during the run
 */
record CliRun(int exit, String out, String err, String log) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream realErr = System.err;
    int exit;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    } finally {
      System.setErr(realErr);
    }
    return new CliRun(exit, out.toString(), err.toString(), log.toString(StandardCharsets.UTF_8));
  }

  /** The non-blank lines of the error stream and the log together: what the user saw as complaints. */
  List<String> complaints() {
    return (err + "\n" + log).lines().filter(l -> !l.isBlank()).toList();
  }

  /** The last non-blank line of the output, parsed as JSON (the commands that report one JSON line). */
  JsonNode lastJsonLine() throws IOException {
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }

  /** Output, error stream and log, for assertion messages. */
  String all() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err + "--- log\n" + log;
  }
}
