package imgsearch.crawl.source;

import imgsearch.crawl.TimeSource;
import java.time.Duration;

/**
 * Spaces calls evenly so that no hour ever sees more than {@code callsPerHour} of them (Flickr allows 3,600
 * per key; the default of 3,000 leaves room for other use of the same key). Spacing rather than a bucket keeps
 * the bound true for every sliding hour, not just on average.
 */
public final class RateLimiter {

  private final long intervalNanos;
  private final TimeSource time;
  private long next = Long.MIN_VALUE;
  private long calls;

  public RateLimiter(int callsPerHour, TimeSource time) {
    if (callsPerHour < 1) {
      throw new IllegalArgumentException("calls per hour must be positive");
    }
    this.intervalNanos = Duration.ofHours(1).toNanos() / callsPerHour;
    this.time = time;
  }

  /** Waits until the next call is allowed and counts it. */
  public void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = time.nanoTime();
      long slot = next == Long.MIN_VALUE ? now : Math.max(now, next);
      next = slot + intervalNanos;
      calls++;
      wait = slot - now;
    }
    time.sleep(Duration.ofNanos(wait));
  }

  /** Calls let through so far. */
  public synchronized long calls() {
    return calls;
  }
}
