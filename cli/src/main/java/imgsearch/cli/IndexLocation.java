package imgsearch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --index PATH} option shared by every command that reads or writes an index. Without it the
 * index lives in {@code $IMGSEARCH_HOME/index}, or {@code $XDG_DATA_HOME/imgsearch/index}, or
 * {@code ~/.local/share/imgsearch/index}, so that {@code index DIR} then {@code search --image x.jpg}
 * just work.
 */
public final class IndexLocation {

  @Option(names = "--index", paramLabel = "PATH",
      description = "Index folder (default: $IMGSEARCH_HOME/index, else ~/.local/share/imgsearch/index).")
  Path index;

  /** The index folder chosen by the user or the default one. */
  public Path path() {
    return index != null ? index.toAbsolutePath().normalize() : defaultPath();
  }

  static Path defaultPath() {
    String home = System.getenv("IMGSEARCH_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "index").toAbsolutePath();
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("imgsearch").resolve("index").toAbsolutePath();
  }
}
