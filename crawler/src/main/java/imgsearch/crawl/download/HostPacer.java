package imgsearch.crawl.download;

import imgsearch.crawl.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Spaces requests to one host at least a delay apart (politeness for crawled sites). Each request reserves
 * the next free slot of its host, then waits for it outside the lock, so concurrent downloads keep the
 * spacing without blocking one another's hosts.
 */
public final class HostPacer {

  private final TimeSource time;
  private final Duration defaultDelay;
  private final Map<String, Duration> delays = new HashMap<>();
  private final Map<String, Long> nextFree = new HashMap<>();

  public HostPacer(TimeSource time, Duration defaultDelay) {
    this.time = time;
    this.defaultDelay = defaultDelay;
  }

  /** No spacing at all, on the real clock. */
  public static HostPacer none() {
    return new HostPacer(TimeSource.SYSTEM, Duration.ZERO);
  }

  /** Raises the delay of one host (e.g. to its robots.txt Crawl-delay); never lowers it below the default. */
  public synchronized void setDelay(String host, Duration delay) {
    delays.put(host, delay.compareTo(defaultDelay) > 0 ? delay : defaultDelay);
  }

  /** Waits until a request to {@code uri}'s host is allowed. */
  public void await(URI uri) throws InterruptedException {
    String host = hostKey(uri);
    long wait;
    synchronized (this) {
      Duration delay = delays.getOrDefault(host, defaultDelay);
      long now = time.nanoTime();
      Long free = nextFree.get(host);
      if (delay.isZero() && (free == null || free <= now)) {
        return;
      }
      long slot = free == null ? now : Math.max(now, free);
      nextFree.put(host, slot + delay.toNanos());
      wait = slot - now;
    }
    time.sleep(Duration.ofNanos(wait));
  }

  /**
   * Holds every request to {@code uri}'s host back for {@code pause} from now, e.g. after it answered 429 with a
   * Retry-After: the host asked all of our requests to wait, not only the one it refused.
   */
  public synchronized void pause(URI uri, Duration pause) {
    if (pause.isNegative() || pause.isZero()) {
      return;
    }
    long until = time.nanoTime() + pause.toNanos();
    nextFree.merge(hostKey(uri), until, Math::max);
  }

  /** host[:port], lower case: what one politeness budget is kept for. */
  public static String hostKey(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
    return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
  }
}
