package imgsearch.crawl.source;

import imgsearch.crawl.TimeSource;
import java.time.Duration;
import java.util.function.Predicate;

/** Runs a call again after a failure that may pass (5xx, timeout), waiting twice as long each time. */
public final class Retry {

  /** One try of the call. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws Exception;
  }

  private final int attempts;
  private final Duration firstBackoff;
  private final TimeSource time;

  public Retry(int attempts, Duration firstBackoff, TimeSource time) {
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.time = time;
  }

  /**
   * The call's result; rethrows the last failure when every try failed, or at once when {@code retryable}
   * says the failure will not pass.
   */
  public <T> T call(Attempt<T> attempt, Predicate<Exception> retryable) throws Exception {
    Duration backoff = firstBackoff;
    for (int i = 1; ; i++) {
      try {
        return attempt.run();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        if (i >= attempts || !retryable.test(e)) {
          throw e;
        }
        time.sleep(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  public int attempts() {
    return attempts;
  }
}
