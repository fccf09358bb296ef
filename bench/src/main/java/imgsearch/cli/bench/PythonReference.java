package imgsearch.cli.bench;

import imgsearch.cli.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference pipelines the benchmarks compare imgsearch with: the scripts of the repository's
 * {@code bench/} folder (carried in this jar), run by a Python that has Pillow and numpy, normally Debian's
 * {@code /usr/bin/python3} with {@code python3-pil} and {@code python3-numpy}.
 */
public final class PythonReference {

  /** Debian's interpreter: the one that sees python3-pil and python3-numpy (not a pyenv one first on PATH). */
  public static final String DEFAULT_PYTHON = "/usr/bin/python3";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String python;
  private final Path work;

  /**
   * @param python the interpreter
   * @param work a folder for the scripts and file lists
   * @throws IllegalStateException when the interpreter cannot import Pillow and numpy, saying what to install
   */
  public PythonReference(String python, Path work) throws IOException, InterruptedException {
    this.python = python;
    this.work = work;
    Process p = new ProcessBuilder(python, "-c", "import PIL, numpy").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw UserError.failure(python + " cannot run the reference pipeline (it needs Pillow and numpy): "
          + out.strip() + "; install them with: apt-get install python3-pil python3-numpy, or pass --python");
    }
    for (String script : List.of("reference_decode.py", "reference_query.py")) {
      try (InputStream in = PythonReference.class.getResourceAsStream("scripts/" + script)) {
        if (in == null) {
          throw UserError.failure("this build lacks bench/" + script);
        }
        Files.write(work.resolve(script), in.readAllBytes());
      }
    }
  }

  /**
   * libjpeg-turbo decoding every file at full size in {@code processes} processes: the JSON line of
   * bench/reference_decode.py ({@code imagesPerSecond} ...).
   */
  public JsonNode decode(List<Path> files, int processes) throws IOException, InterruptedException {
    return run(List.of("reference_decode.py", "--processes", Integer.toString(processes), list("decode", files)));
  }

  /**
   * The same query pipeline in numpy and Pillow over a database: the JSON line of bench/reference_query.py
   * ({@code meanMs}, {@code p50Ms} ...).
   *
   * @param method {@code pixels-l1} or {@code hsv-chi2}
   */
  public JsonNode query(String method, int size, List<Path> database, List<Path> queries)
      throws IOException, InterruptedException {
    return run(List.of("reference_query.py", "--method", method, "--size", Integer.toString(size), "--database",
        list("database", database), "--queries", list("queries", queries)));
  }

  private String list(String name, List<Path> files) throws IOException {
    Path list = work.resolve(name + ".txt");
    Files.write(list, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
    return list.toString();
  }

  private JsonNode run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(work.resolve(args.get(0)).toString());
    command.addAll(args.subList(1, args.size()));
    Path log = work.resolve("python.log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw UserError.failure("the reference script failed: " + String.join(" ", command) + "\n"
          + Files.readString(log));
    }
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }
}
