package imgsearch.crawl;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and the sleep the crawler waits with (rate limits, backoff, politeness). Tests pass a fake one
 * whose sleep only advances its clock, so that waiting is checked without waiting.
 */
public interface TimeSource {

  /** Monotonic time in nanoseconds, for measuring intervals. */
  long nanoTime();

  /** Wall-clock time, for dates (upload-date windows, report timestamps). */
  Instant now();

  /** Waits for {@code duration}; returns at once when it is zero or negative. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real clock. */
  TimeSource SYSTEM = new TimeSource() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration);
      }
    }
  };
}
