package imgsearch.descriptor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;

/**
 * How two descriptor vectors are compared. Scores are the textbook values: distances for
 * {@link #L1}, {@link #L2} and {@link #CHI_SQUARED} (lower is more similar), similarities for
 * {@link #COSINE}, {@link #CORRELATION} and {@link #DOT} (higher is more similar).
 *
 * <h2>What exact search promises</h2>
 * <ul>
 *   <li><b>The same bits on every machine.</b> Every score is computed in one fixed order of operations,
 *       whatever the CPU's vector width (128, 256 or 512 bits, or no Vector API at all) and however many
 *       cores search, so a ranking, ties included, is the same everywhere.
 *   <li><b>Pixel data (whole numbers 0..255):</b> {@link #L1}, {@link #L2}, {@link #DOT} and {@link #COSINE}
 *       equal the textbook definition computed in double, to the last bit; {@link #CORRELATION} is the exact
 *       value rounded at its last three steps (also for 448 x 448 images); rankings are the textbook's.
 *   <li><b>{@link #CHI_SQUARED}</b>, on pixel and histogram data alike, computes each term in double and
 *       is within about 1e-13 (relative) of the textbook double sum: rankings are the textbook's except
 *       between scores that agree to 13 digits.
 *   <li><b>Other data</b> (histograms, edge-colour, embeddings) with L1, L2, dot, cosine and correlation:
 *       float lanes summed in blocks of 1,024, about 1e-7 of the summed magnitudes (within 1e-6 relative
 *       for the distances and dot of positive data, within 1e-6 absolute for cosine and correlation).
 *       Scores closer than that may rank otherwise than the textbook would, but the same on every machine.
 * </ul>
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
    return VectorMath.score(this, query, candidate);
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

  /**
   * Scores many candidates stored as {@link VectorEncoding#UINT8} bytes (read in place, e.g. from an index's
   * memory-mapped file) against one query. Immutable, so one scorer may serve several threads.
   */
  @FunctionalInterface
  public interface ByteScorer {
    /**
     * The same value as {@link Metric#score(float[], float[])} of the query and the candidate's elements
     * (0 to 255) as floats.
     *
     * @param candidate exactly as many bytes as the query has elements; native memory (a mapped file, an
     *     off-heap buffer) is scanned fastest, as the query is kept there too
     */
    double score(MemorySegment candidate);
  }

  /**
   * A {@link ByteScorer} for {@code query}, whose elements must be whole numbers 0 to 255. Its sums are
   * exact integers, computed with SIMD at the machine's widest vectors, so the scores are the ones
   * {@link #scorer} gives, on every machine.
   */
  public ByteScorer byteScorer(float[] query) {
    return VectorMath.byteScorer(this, query);
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
