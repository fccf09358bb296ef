package imgsearch.cli;

import imgsearch.file.ByteSizes;
import imgsearch.model.DownloadListener;
import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows model downloads: a progress bar on a terminal, a line every tenth of the file otherwise (logs, CI). */
abstract class DownloadProgress implements DownloadListener {

  static DownloadProgress forConsole(PrintWriter err) {
    return System.console() != null ? new Bar() : new Lines(err);
  }

  /** me.tongfei progress bar in megabytes on stderr, starting from the bytes a resumed download already has. */
  private static final class Bar extends DownloadProgress {
    private ProgressBar bar;

    @Override
    public synchronized void started(String label, long totalBytes, long resumedFrom) {
      bar = new ProgressBarBuilder().setTaskName("Downloading " + label).setInitialMax(totalBytes)
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
          .setUnit(" MB", 1_000_000).setUpdateIntervalMillis(250).showSpeed()
          .startsFrom(resumedFrom, Duration.ZERO).build();
    }

    @Override
    public synchronized void progressed(String label, long bytesOnDisk) {
      if (bar != null) {
        bar.stepTo(bytesOnDisk);
      }
    }

    @Override
    public synchronized void finished(String label, boolean ok) {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  /** Plain lines: start, every 10%, end. */
  private static final class Lines extends DownloadProgress {
    private final PrintWriter err;
    private long total;
    private int lastTenth;

    Lines(PrintWriter err) {
      this.err = err;
    }

    @Override
    public synchronized void started(String label, long totalBytes, long resumedFrom) {
      total = totalBytes;
      lastTenth = (int) (10 * resumedFrom / Math.max(1, totalBytes));
      err.printf("Downloading %s (%s)%s%n", label, ByteSizes.decimal(totalBytes),
          resumedFrom > 0 ? ", resuming at " + ByteSizes.decimal(resumedFrom) : "");
    }

    @Override
    public synchronized void progressed(String label, long bytesOnDisk) {
      int tenth = (int) (10 * bytesOnDisk / Math.max(1, total));
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        err.printf("  %s: %d%%%n", label, tenth * 10);
      }
    }

    @Override
    public synchronized void finished(String label, boolean ok) {
      err.printf("%s %s%n", ok ? "Downloaded and verified" : "Download failed:", label);
    }
  }
}
