package imgsearch.cli.bench;

import java.util.Arrays;

/**
 * Latency figures of one kind of request, in milliseconds.
 *
 * @param count requests measured
 * @param p50Ms median
 * @param p99Ms 99th percentile (nearest rank)
 * @param maxMs slowest
 */
public record Percentiles(int count, double p50Ms, double p99Ms, double maxMs) {

  /** Nearest-rank percentiles of durations in nanoseconds; all zero when there are none. */
  public static Percentiles of(long[] nanos) {
    if (nanos.length == 0) {
      return new Percentiles(0, 0, 0, 0);
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Percentiles(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.99)), ms(sorted[sorted.length - 1]));
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
