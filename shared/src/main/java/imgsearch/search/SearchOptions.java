package imgsearch.search;

import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;

/**
 * How to search; null descriptor or metric mean "the best available".
 *
 * @param descriptor descriptor name or null
 * @param metric metric or null
 * @param k number of results, 1 to {@link #MAX_K}
 * @param exact force an exact scan even where HNSW would be used
 * @param filter split/class restriction
 * @throws InvalidQueryException when k is out of range
 */
public record SearchOptions(String descriptor, Metric metric, int k, boolean exact, ImageFilter filter) {

  /** Largest k accepted. */
  public static final int MAX_K = 1000;

  public SearchOptions {
    checkK(k);
    filter = filter == null ? ImageFilter.ALL : filter;
  }

  /**
   * The number of results a user typed, or {@code defaultK} when none.
   *
   * @throws InvalidQueryException ({@link InvalidQueryException.Reason#BAD_K}) when it is no whole number
   *     from 1 to {@link #MAX_K}
   */
  public static int parseK(String value, int defaultK) {
    if (value == null) {
      return defaultK;
    }
    int k;
    try {
      k = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(InvalidQueryException.Reason.BAD_K, "k must be a whole number between 1 and "
          + MAX_K + ", was '" + InvalidQueryException.abbreviate(value) + "'");
    }
    return checkK(k);
  }

  private static int checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new InvalidQueryException(InvalidQueryException.Reason.BAD_K,
          "k must be between 1 and " + MAX_K + ", was " + k);
    }
    return k;
  }

  /**
   * The metric a user typed ({@code l1}, {@code chi2}, ...; case-insensitive).
   *
   * @throws InvalidQueryException ({@link InvalidQueryException.Reason#UNKNOWN_METRIC}) naming the known ones
   */
  public static Metric parseMetric(String id) {
    try {
      return Metric.fromId(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException(InvalidQueryException.Reason.UNKNOWN_METRIC, e.getMessage());
    }
  }

  /** Best descriptor and metric, top 10, HNSW where possible, whole collection. */
  public static SearchOptions defaults() {
    return new SearchOptions(null, null, 10, false, ImageFilter.ALL);
  }

  public SearchOptions withK(int newK) {
    return new SearchOptions(descriptor, metric, newK, exact, filter);
  }

  public SearchOptions with(String newDescriptor, Metric newMetric) {
    return new SearchOptions(newDescriptor, newMetric, k, exact, filter);
  }
}
