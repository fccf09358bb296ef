package imgsearch.eval;

/**
 * Textbook retrieval measures over one ranked result list, given as relevance flags in rank order
 * ({@code relevant[0]} is the top result).
 *
 * <p>Relevant items that were not retrieved at all count as misses: average precision divides by the
 * number of relevant items in the whole database, and precision at k counts the positions past the end
 * of a short list as non-relevant.
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /**
   * Average precision: the mean, over all {@code totalRelevant} relevant items in the database, of the
   * precision at the rank where each was retrieved (0 for those never retrieved).
   *
   * @throws IllegalArgumentException when {@code totalRelevant} is less than 1 or less than the number of
   *     relevant flags in the list
   */
  public static double averagePrecision(boolean[] relevant, int totalRelevant) {
    requireTotal(relevant, totalRelevant);
    double sum = 0;
    int found = 0;
    for (int rank = 1; rank <= relevant.length; rank++) {
      if (relevant[rank - 1]) {
        found++;
        sum += (double) found / rank;
      }
    }
    return sum / totalRelevant;
  }

  /** Fraction of the top {@code k} positions holding a relevant item. */
  public static double precisionAt(boolean[] relevant, int k) {
    requireK(k);
    return (double) relevantInTop(relevant, k) / k;
  }

  /** Fraction of all {@code totalRelevant} relevant items that appear in the top {@code k}. */
  public static double recallAt(boolean[] relevant, int k, int totalRelevant) {
    requireK(k);
    requireTotal(relevant, totalRelevant);
    return (double) relevantInTop(relevant, k) / totalRelevant;
  }

  private static int relevantInTop(boolean[] relevant, int k) {
    int n = 0;
    for (int i = 0; i < Math.min(k, relevant.length); i++) {
      if (relevant[i]) {
        n++;
      }
    }
    return n;
  }

  private static void requireK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
  }

  private static void requireTotal(boolean[] relevant, int totalRelevant) {
    if (totalRelevant < 1) {
      throw new IllegalArgumentException("total number of relevant items must be at least 1, was " + totalRelevant);
    }
    int inList = relevantInTop(relevant, relevant.length);
    if (inList > totalRelevant) {
      throw new IllegalArgumentException("the list holds " + inList + " relevant items but the total given is "
          + totalRelevant);
    }
  }
}
