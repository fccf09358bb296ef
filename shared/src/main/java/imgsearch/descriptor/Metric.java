package imgsearch.descriptor;

import java.util.Arrays;
import java.util.Locale;

/**
 * How two descriptor vectors are compared. Scores are the textbook values: distances for
 * {@link #L1}, {@link #L2} and {@link #CHI_SQUARED} (lower is more similar), similarities for
 * {@link #COSINE}, {@link #CORRELATION} and {@link #DOT} (higher is more similar).
 */
public enum Metric {
  /** Sum of absolute differences. */
  L1("l1", false),
  /** Euclidean distance. */
  L2("l2", false),
  /** Cosine of the angle between the vectors. */
  COSINE("cosine", true),
  /** Pearson correlation coefficient of the two vectors' components. */
  CORRELATION("correlation", true),
  /** Chi-squared distance for histograms: 1/2 sum (a-b)^2 / (a+b), terms with a+b = 0 skipped. */
  CHI_SQUARED("chi2", false),
  /** Dot product, for embeddings that are already L2-normalised. */
  DOT("dot", true);

  private final String id;
  private final boolean higherIsBetter;

  Metric(String id, boolean higherIsBetter) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
  }

  /** Name used on the command line and in the API. */
  public String id() {
    return id;
  }

  /** True for similarities, false for distances. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The score of {@code candidate} against {@code query}; see the class comment for its meaning. */
  public double score(float[] query, float[] candidate) {
    if (query.length != candidate.length) {
      throw new IllegalArgumentException("vectors differ in length: " + query.length + " vs " + candidate.length);
    }
    return switch (this) {
      case L1 -> VectorMath.l1(query, candidate);
      case L2 -> Math.sqrt(VectorMath.squaredL2(query, candidate));
      case COSINE -> VectorMath.cosine(query, candidate);
      case CORRELATION -> VectorMath.correlation(query, candidate);
      case CHI_SQUARED -> VectorMath.chiSquared(query, candidate);
      case DOT -> VectorMath.dot(query, candidate);
    };
  }

  /**
   * Scores many candidates against one query, for exact scans: the query is copied and what depends on
   * it alone (norm, mean) is computed once. Immutable, so one scorer may serve several threads.
   */
  @FunctionalInterface
  public interface Scorer {
    /** The same value as {@link Metric#score(float[], float[])} of the query and {@code candidate}. */
    double score(float[] candidate);
  }

  /** A {@link Scorer} for {@code query}; each call scores one candidate with one pass over it. */
  public Scorer scorer(float[] query) {
    return VectorMath.scorer(this, query);
  }

  /** True when score {@code a} ranks before score {@code b}. */
  public boolean better(double a, double b) {
    return higherIsBetter ? a > b : a < b;
  }

  /** Parses a metric id such as {@code l1} or {@code chi2} (case-insensitive). */
  public static Metric fromId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (Metric m : values()) {
      if (m.id.equals(wanted) || m.name().toLowerCase(Locale.ROOT).equals(wanted)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + id + "'; known: "
        + Arrays.stream(values()).map(Metric::id).toList());
  }
}
