package imgsearch.crawl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A clock whose sleep returns at once and moves the clock forward; it remembers every sleep. */
public final class FakeTime implements TimeSource {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Instant start;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  public FakeTime(Instant start) {
    this.start = start;
  }

  public FakeTime() {
    this(Instant.parse("2024-06-01T12:00:00Z"));
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return start.plusNanos(nanos.get() - 1_000_000_000L);
  }

  @Override
  public void sleep(Duration d) {
    if (!d.isNegative() && !d.isZero()) {
      sleeps.add(d);
      nanos.addAndGet(d.toNanos());
    }
  }

  public List<Duration> sleeps() {
    synchronized (sleeps) {
      return List.copyOf(sleeps);
    }
  }

  public Duration slept() {
    return sleeps().stream().reduce(Duration.ZERO, Duration::plus);
  }
}
