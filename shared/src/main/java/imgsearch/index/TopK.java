package imgsearch.index;

import imgsearch.descriptor.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Keeps the best {@code k} of many scored candidates, ranked as every backend ranks search results: by
 * score under the query's metric, and equal scores (the same photo stored twice) by image id, so that
 * the order does not depend on the order candidates were found in (threads, shards, segments). The id
 * is asked for only when a tie needs it. Not thread-safe: give each thread its own and {@link #addAll}
 * them.
 *
 * @param <T> a scored candidate
 */
public final class TopK<T> {

  private final int k;
  private final Comparator<T> bestFirst;
  /** Its head is the worst candidate kept. */
  private final PriorityQueue<T> kept;

  /**
   * @param k how many to keep, at least 1
   * @param metric the query's metric: whether higher scores are better
   * @param score a candidate's score
   * @param id a candidate's image id, for ties
   */
  public TopK(int k, Metric metric, ToDoubleFunction<T> score, Function<T, String> id) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
    Comparator<T> byScore = Comparator.comparingDouble(score);
    this.k = k;
    this.bestFirst = (metric.higherIsBetter() ? byScore.reversed() : byScore).thenComparing(id);
    this.kept = new PriorityQueue<>(Math.min(k, 1024) + 1, bestFirst.reversed());
  }

  /** Keeps {@code candidate} if it is among the best {@code k} so far. */
  public void offer(T candidate) {
    if (kept.size() < k) {
      kept.add(candidate);
    } else if (bestFirst.compare(candidate, kept.peek()) < 0) {
      kept.poll();
      kept.add(candidate);
    }
  }

  /** Offers every candidate another collector kept (merging the parts of a parallel scan). */
  public void addAll(TopK<T> other) {
    other.kept.forEach(this::offer);
  }

  /** The candidates kept, best first. */
  public List<T> best() {
    List<T> out = new ArrayList<>(kept);
    out.sort(bestFirst);
    return out;
  }
}
