package imgsearch.cli;

import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows an indexing run: a progress bar on a terminal, a plain line every few seconds otherwise (logs, CI). */
abstract class IndexProgress implements IndexListener, AutoCloseable {

  static IndexProgress forConsole(PrintWriter err) {
    // The crawler's check also works on Java 22+, where System.console() exists even when piped.
    return imgsearch.crawl.ConsoleProgress.interactive() ? new Bar(System.err) : new Lines(err, 5_000);
  }

  @Override
  public void close() {}

  /** me.tongfei progress bar, drawn on stderr so stdout stays clean for the summary. */
  private static final class Bar extends IndexProgress {
    private final PrintStream err;
    private volatile ProgressBar bar;

    Bar(PrintStream err) {
      this.err = err;
    }

    @Override
    public void started(int total) {
      bar = new ProgressBarBuilder().setTaskName("Indexing").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250).showSpeed().build();
    }

    @Override
    public void fileDone(Path file, IndexSummary.Outcome outcome) {
      ProgressBar b = bar;
      if (b != null) {
        b.step();
      }
    }

    @Override
    public void close() {
      ProgressBar b = bar;
      if (b != null) {
        b.close();
      }
    }
  }

  /** One line per interval, e.g. "Indexing: 1200/5000 files (24%)". */
  private static final class Lines extends IndexProgress {
    private final PrintWriter err;
    private final long intervalMillis;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int total;
    private long lastPrint = System.currentTimeMillis();

    Lines(PrintWriter err, long intervalMillis) {
      this.err = err;
      this.intervalMillis = intervalMillis;
    }

    @Override
    public void started(int total) {
      this.total = total;
      err.printf("Indexing: %d image files found%n", total);
    }

    @Override
    public void fileDone(Path file, IndexSummary.Outcome outcome) {
      int n = done.incrementAndGet();
      long now = System.currentTimeMillis();
      synchronized (this) {
        if (now - lastPrint >= intervalMillis && n < total) {
          lastPrint = now;
          err.printf("Indexing: %d/%d files (%d%%)%n", n, total, total == 0 ? 100 : n * 100L / total);
        }
      }
    }
  }
}
