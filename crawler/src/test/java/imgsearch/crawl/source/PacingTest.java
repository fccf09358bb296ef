package imgsearch.crawl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.crawl.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rate limiting and backoff, on a fake clock. */
class PacingTest {

  /** A clock that only moves when slept on. */
  static final class Clock implements TimeSource {
    long nanos;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public Instant now() {
      return Instant.EPOCH.plusNanos(nanos);
    }

    @Override
    public void sleep(Duration d) {
      if (d.isPositive()) {
        sleeps.add(d);
        nanos += d.toNanos();
      }
    }
  }

  @Test
  void noHourEverSeesMoreCallsThanAllowed() throws InterruptedException {
    Clock clock = new Clock();
    RateLimiter limiter = new RateLimiter(3000, clock);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 7000; i++) {
      limiter.acquire();
      times.add(clock.nanoTime());
      clock.nanos += 1_000_000; // the call itself takes a millisecond
    }
    long hour = Duration.ofHours(1).toNanos();
    int start = 0;
    for (int end = 0; end < times.size(); end++) {
      while (times.get(end) - times.get(start) >= hour) {
        start++;
      }
      assertTrue(end - start + 1 <= 3000, "calls within one hour: " + (end - start + 1));
    }
    assertEquals(7000, limiter.calls());
  }

  @Test
  void callsSpacedWideEnoughAlreadyDoNotWait() throws InterruptedException {
    Clock clock = new Clock();
    RateLimiter limiter = new RateLimiter(3600, clock);
    limiter.acquire();
    clock.nanos += Duration.ofSeconds(5).toNanos();
    limiter.acquire();
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  void hostsArePacedApartAndIndependently() throws InterruptedException {
    Clock clock = new Clock();
    imgsearch.crawl.download.HostPacer pacer = new imgsearch.crawl.download.HostPacer(clock, Duration.ofSeconds(1));
    java.net.URI a = java.net.URI.create("http://a.example/x");
    java.net.URI b = java.net.URI.create("http://b.example/x");
    pacer.await(a);
    pacer.await(b);
    assertEquals(List.of(), clock.sleeps, "first requests to each host go at once");
    pacer.await(a);
    assertEquals(List.of(Duration.ofSeconds(1)), clock.sleeps);
    pacer.setDelay("a.example", Duration.ofSeconds(3)); // robots.txt Crawl-delay
    pacer.setDelay("b.example", Duration.ofMillis(10)); // never below the default
    pacer.await(a);
    pacer.await(a);
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3)), clock.sleeps);
  }

  @Test
  void aPausedHostWaitsEvenWithoutAPolitenessDelay() throws InterruptedException {
    Clock clock = new Clock();
    imgsearch.crawl.download.HostPacer pacer = new imgsearch.crawl.download.HostPacer(clock, Duration.ZERO);
    java.net.URI a = java.net.URI.create("http://a.example/x");
    java.net.URI b = java.net.URI.create("http://b.example/x");
    pacer.await(a);
    assertEquals(List.of(), clock.sleeps, "no delay, no pause: no wait");
    pacer.pause(a, Duration.ofSeconds(7)); // a.example answered 429 with Retry-After: 7
    pacer.await(b);
    assertEquals(List.of(), clock.sleeps, "other hosts go on");
    pacer.await(a);
    assertEquals(List.of(Duration.ofSeconds(7)), clock.sleeps);
    pacer.await(a);
    assertEquals(List.of(Duration.ofSeconds(7)), clock.sleeps, "the pause is over");
  }

  @Test
  void retriesBackOffTwiceAsLongEachTime() throws Exception {
    Clock clock = new Clock();
    Retry retry = new Retry(4, Duration.ofSeconds(1), clock);
    AtomicInteger tries = new AtomicInteger();
    String result = retry.call(() -> {
      if (tries.incrementAndGet() < 4) {
        throw new IOException("503");
      }
      return "ok";
    }, e -> e instanceof IOException);
    assertEquals("ok", result);
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), clock.sleeps);
  }

  @Test
  void failuresThatWillNotPassAreNotRetried() {
    Clock clock = new Clock();
    Retry retry = new Retry(4, Duration.ofSeconds(1), clock);
    AtomicInteger tries = new AtomicInteger();
    assertThrows(IllegalStateException.class, () -> retry.call(() -> {
      tries.incrementAndGet();
      throw new IllegalStateException("bad key");
    }, e -> e instanceof IOException));
    assertEquals(1, tries.get());
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  void theFeedIsAskedForAllWordsAndForTheWordsRunTogether() {
    assertEquals(List.of("red,fox", "redfox"), FlickrFeedSource.tagQueries("Red Fox!"));
    assertEquals(List.of("lighthouse"), FlickrFeedSource.tagQueries("lighthouse"));
    assertEquals("CC BY-SA 2.0", FlickrFeedSource.licenceName("https://creativecommons.org/licenses/by-sa/2.0/deed.en"));
    assertEquals("CC0 1.0", FlickrFeedSource.licenceName("https://creativecommons.org/publicdomain/zero/1.0/"));
  }
}
