package imgsearch.eval.knn;

import java.util.List;

/** Recall@k of approximate nearest-neighbour results against exact ground truth. */
public final class Recall {
  private Recall() {}

  /**
   * The fraction of each query's {@code k} true nearest neighbours found among its first {@code k}
   * results, averaged over the queries.
   *
   * @param results per query, the ids returned, best first (may be shorter than {@code k})
   * @param truth per query, the exact nearest ids, best first (at least {@code k})
   */
  public static double at(int k, List<int[]> results, List<int[]> truth) {
    if (results.size() != truth.size()) {
      throw new IllegalArgumentException(results.size() + " result lists for " + truth.size() + " queries");
    }
    if (results.isEmpty()) {
      return 0;
    }
    long found = 0;
    for (int q = 0; q < results.size(); q++) {
      found += hits(k, results.get(q), truth.get(q));
    }
    return (double) found / ((long) k * results.size());
  }

  /** How many of the first {@code k} true neighbours are among the first {@code k} results. */
  public static int hits(int k, int[] result, int[] truth) {
    if (truth.length < k) {
      throw new IllegalArgumentException("the ground truth has " + truth.length + " neighbours per query; k is " + k);
    }
    int found = 0;
    int n = Math.min(k, result.length);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        if (result[i] == truth[j]) {
          found++;
          break;
        }
      }
    }
    return found;
  }
}
