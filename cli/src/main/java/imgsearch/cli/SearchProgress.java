package imgsearch.cli;

import imgsearch.duplicates.NeighbourGraph;
import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows the neighbour searches of {@code duplicates}: a progress bar on a terminal, a plain line every ten seconds
 * otherwise (so short runs print nothing).
 */
abstract class SearchProgress implements NeighbourGraph.Progress, AutoCloseable {

  static SearchProgress forConsole(PrintWriter err) {
    return imgsearch.crawl.ConsoleProgress.interactive() ? new Bar(System.err) : new Lines(err, 10_000);
  }

  @Override
  public void close() {}

  private static final class Bar extends SearchProgress {
    private final PrintStream err;
    private ProgressBar bar;

    Bar(PrintStream err) {
      this.err = err;
    }

    @Override
    public synchronized void searched(int done, int total) {
      if (bar == null) {
        bar = new ProgressBarBuilder().setTaskName("Comparing").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250).showSpeed().build();
      }
      bar.stepTo(Math.max(bar.getCurrent(), done));
    }

    @Override
    public synchronized void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }

  private static final class Lines extends SearchProgress {
    private final PrintWriter err;
    private final long intervalMillis;
    private long lastPrint = System.currentTimeMillis();

    Lines(PrintWriter err, long intervalMillis) {
      this.err = err;
      this.intervalMillis = intervalMillis;
    }

    @Override
    public synchronized void searched(int done, int total) {
      long now = System.currentTimeMillis();
      if (now - lastPrint >= intervalMillis && done < total) {
        lastPrint = now;
        err.printf("Comparing: %d/%d images (%d%%)%n", done, total, done * 100L / total);
      }
    }
  }
}
