package imgsearch.crawl;

import java.io.PrintStream;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a crawl on the console: a progress bar per term on a terminal, plain lines otherwise (logs, pipes,
 * CI), where a bar's carriage returns would only make noise.
 */
public final class ConsoleProgress implements CrawlListener {

  private final PrintStream barStream;
  private final Consumer<String> lines;
  private ProgressBar bar;
  private int lastPrintedTenth = -1;

  private ConsoleProgress(PrintStream barStream, Consumer<String> lines) {
    this.barStream = barStream;
    this.lines = lines;
  }

  /** Bars on {@code stream} when the process has a terminal, plain lines on it otherwise. */
  public static ConsoleProgress forConsole(PrintStream stream) {
    return interactive() ? bars(stream) : plain(stream::println);
  }

  /**
   * Whether the process talks to a terminal. From JDK 22 on, System.console() is not null for redirected
   * streams either, and Console.isTerminal() (not in Java 21's API) tells; it is looked up when present.
   */
  public static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | ClassCastException e) {
      return true; // Java 21: a console is a terminal
    }
  }

  /** A progress bar per term on {@code terminal}. */
  public static ConsoleProgress bars(PrintStream terminal) {
    return new ConsoleProgress(terminal, terminal::println);
  }

  /** A line per tenth of each term's quota, and one per finished term. */
  public static ConsoleProgress plain(Consumer<String> lines) {
    return new ConsoleProgress(null, lines);
  }

  @Override
  public void termStarted(String term, String label, int target, int alreadyKept) {
    if (barStream != null) {
      bar = new ProgressBarBuilder().setTaskName(term).setInitialMax(target).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(barStream)).setUpdateIntervalMillis(200).hideEta().build();
      bar.stepTo(Math.min(alreadyKept, target));
    } else {
      lastPrintedTenth = -1;
      lines.accept(String.format("%s -> %s/: %d/%d already kept", term, label, alreadyKept, target));
    }
  }

  @Override
  public void candidateDone(String term, int kept, int target, int rejectedThisRun) {
    if (bar != null) {
      bar.stepTo(Math.min(kept, target));
      bar.setExtraMessage(rejectedThisRun + " rejected");
    } else if (barStream == null) {
      int tenth = (int) (10L * kept / Math.max(1, target));
      if (tenth != lastPrintedTenth && tenth < 10) {
        lastPrintedTenth = tenth;
        lines.accept(String.format("%s: %d/%d kept, %d rejected", term, kept, target, rejectedThisRun));
      }
    }
  }

  @Override
  public void termFinished(CrawlReport.TermReport r) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    lines.accept(String.format("%s: %d/%d kept (%d train, %d test), %d new, %d rejected in this run%s", r.term(),
        r.kept(), r.target(), r.train(), r.test(), r.keptThisRun(),
        r.rejectedThisRun().values().stream().mapToInt(Integer::intValue).sum(),
        r.error() == null ? "" : " - failed: " + r.error()));
  }

  @Override
  public void warning(String message) {
    lines.accept("warning: " + message);
  }
}
