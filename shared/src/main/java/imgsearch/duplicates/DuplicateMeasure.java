package imgsearch.duplicates;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.PerceptualHash;
import imgsearch.descriptor.PerceptualHashDescriptor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How near-duplicates are judged on one descriptor's stored vectors: the metric the neighbours are found by,
 * what a threshold means, its default and the range a slider offers. Scores are in the measure's own unit
 * (a similarity, a number of differing bits); {@link #higherIsCloser()} says which way is closer.
 *
 * @param descriptor descriptor name in the index
 * @param tunedVersion the descriptor version {@link #defaultThreshold()} was chosen for (on a real-photo set,
 *     see docs/duplicates.md); another version still works but its default is not tuned
 * @param metric the metric neighbours are searched by (one with an HNSW graph)
 * @param unit what a score is, for people, e.g. {@code similarity}
 * @param higherIsCloser true for similarities, false for distances
 * @param defaultThreshold the threshold used when none is given
 * @param loosestThreshold loosest threshold offered (a slider's end; the web page finds neighbours down to it)
 * @param strictestThreshold strictest threshold offered (the slider's other end)
 * @param step slider step
 */
public record DuplicateMeasure(String descriptor, int tunedVersion, Metric metric, String unit, boolean higherIsCloser,
    double defaultThreshold, double loosestThreshold, double strictestThreshold, double step) {

  /** The default edge-colour threshold (a constant, for help texts). */
  public static final double EDGE_COLOUR_DEFAULT = 0.985;

  /** The default hash threshold: the crawler's. */
  public static final int PHASH_DEFAULT = PerceptualHash.NEAR_DUPLICATE_BITS;

  /**
   * Similarity of edge-colour vectors over the parts both images have: their dot product over the smaller
   * squared length. Two colour images (unit vectors) score their dot product, which is their cosine; an image
   * without colour has no hue part, so a grey image and a colour one, or two grey images, score the weighted
   * cosine of their edge, layout and contrast parts, and a grey copy groups with its original. It also finds
   * crops, flips, brightness and colour edits, which the hash misses. Default chosen with
   * {@code imgsearch bench duplicates} on the tune part of the real-photo near-duplicate set
   * (docs/duplicates.md).
   */
  public static final DuplicateMeasure EDGE_COLOUR = new DuplicateMeasure(EdgeColourDescriptor.NAME, 3, Metric.DOT,
      "similarity", true, EDGE_COLOUR_DEFAULT, 0.90, 1.0, 0.005);

  /**
   * Differing bits of the crawler's perceptual hash: the crawler's own rule, {@link PerceptualHash#NEAR_DUPLICATE_BITS}
   * by default, so a collection the crawler cleaned has no groups at the default.
   */
  public static final DuplicateMeasure PHASH = new DuplicateMeasure(PerceptualHashDescriptor.NAME, 1, Metric.L2,
      "differing bits of 64", false, PHASH_DEFAULT, 16, 0, 1);

  /** The measures, best first: the first one the index holds is used when none is named. */
  public static final List<DuplicateMeasure> PREFERENCE = List.of(EDGE_COLOUR, PHASH);

  /** The measure for a descriptor name. */
  public static Optional<DuplicateMeasure> named(String descriptor) {
    return PREFERENCE.stream().filter(m -> m.descriptor.equals(descriptor)).findFirst();
  }

  /** Names of the descriptors duplicates can work with, best first. */
  public static List<String> names() {
    return PREFERENCE.stream().map(DuplicateMeasure::descriptor).toList();
  }

  /**
   * The measure to use on an index: the one named, or the best one the index holds.
   *
   * @param wanted a descriptor name, or null for the best available
   * @return empty when the index holds no vectors the measure needs
   * @throws IllegalArgumentException when {@code wanted} is not a descriptor duplicates can use
   */
  public static Optional<DuplicateMeasure> choose(Map<String, DescriptorSpec> indexed, String wanted) {
    if (wanted != null) {
      DuplicateMeasure m = named(wanted).orElseThrow(() -> new IllegalArgumentException("duplicates cannot use '"
          + wanted + "'; use one of " + String.join(", ", names())));
      return indexed.containsKey(m.descriptor) ? Optional.of(m) : Optional.empty();
    }
    return PREFERENCE.stream().filter(m -> indexed.containsKey(m.descriptor)).findFirst();
  }

  /** What to say when the index lacks the vectors: which descriptor is missing and the command that adds it. */
  public static String missingMessage(String wanted, String indexLocation) {
    String which = wanted != null ? "no " + wanted + " vectors" : "no " + String.join(" or ", names()) + " vectors";
    String add = wanted != null ? wanted : names().get(0);
    return "the index at " + indexLocation + " has " + which + ", which duplicates compares; add them with"
        + " 'imgsearch index DIR --index " + indexLocation + " --descriptors " + add + "' (other descriptors stay)";
  }

  /** True when {@code score} is at least as close as {@code threshold}. */
  public boolean within(double score, double threshold) {
    return higherIsCloser ? score >= threshold : score <= threshold;
  }

  /** Negative when score {@code a} is closer than {@code b}. */
  public int compareCloseness(double a, double b) {
    return higherIsCloser ? Double.compare(b, a) : Double.compare(a, b);
  }

  /** The score of two stored vectors, in this measure's unit. */
  public double score(float[] a, float[] b) {
    double s = metric.score(a, b);
    return fromMetric(sharesParts() ? s / Math.min(squaredLength(a), squaredLength(b)) : s);
  }

  /**
   * The score, in this measure's unit, of a search hit found for {@code query}: exact when the hit's vector is
   * at least as long as the query's (always for the hash, and for edge-colour unless the query is in colour
   * and the hit grey; that pair is then found from the grey image's side). Never above the exact score.
   */
  public double fromHit(double metricScore, float[] query) {
    return fromMetric(sharesParts() ? metricScore / squaredLength(query) : metricScore);
  }

  /**
   * The metric {@code spec}'s vectors are searched by: the measure's own, or the first the spec has when it lacks
   * it (edge-colour v1, cosine only: its vectors have unit length, so cosine and dot product agree).
   */
  public Metric searchMetric(DescriptorSpec spec) {
    return spec.metrics().contains(metric) ? metric : spec.metrics().get(0);
  }

  /** Whether scores are taken over the parts both vectors have (edge-colour: grey images lack the hue part). */
  private boolean sharesParts() {
    return metric == Metric.DOT && descriptor.equals(EdgeColourDescriptor.NAME);
  }

  private static double squaredLength(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s > 0 ? s : 1;
  }

  /** A score of {@link #metric()} in this measure's unit: L2 on hash bits becomes the number of differing bits. */
  public double fromMetric(double metricScore) {
    return metric == Metric.L2 && descriptor.equals(PerceptualHashDescriptor.NAME)
        ? Math.round(metricScore * metricScore) : metricScore;
  }

  /** Whether the default was tuned for the vectors of {@code spec}. */
  public boolean tunedFor(DescriptorSpec spec) {
    return spec.name().equals(descriptor) && spec.version() == tunedVersion;
  }

  /**
   * A threshold the user gave, checked: a similarity in (0, 1] for cosine, a whole number of bits in 0..64 for
   * the hash.
   *
   * @throws IllegalArgumentException saying what is allowed
   */
  public double checkThreshold(double threshold) {
    Optional<String> problem = thresholdProblem(threshold);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    return threshold;
  }

  /** What is wrong with {@code threshold} for this measure, for the user; empty when it is one it takes. */
  public Optional<String> thresholdProblem(double threshold) {
    if (higherIsCloser) {
      if (!(threshold > 0 && threshold <= 1)) {
        return Optional.of("the " + descriptor + " threshold is a " + unit + " above 0 and at most 1, was "
            + format(threshold));
      }
    } else if (!(threshold >= 0 && threshold <= PerceptualHash.BITS && threshold == Math.rint(threshold))) {
      return Optional.of("the " + descriptor + " threshold is a whole number of " + unit + " from 0 to 64, was "
          + (threshold == Math.rint(threshold) ? format(threshold) : Double.toString(threshold)));
    }
    return Optional.empty();
  }

  /** A score or threshold as people read it: three decimals for similarities, whole bits for the hash. */
  public String format(double score) {
    return higherIsCloser ? String.format(Locale.ROOT, "%.3f", score) : String.format(Locale.ROOT, "%.0f", score);
  }

  /** E.g. {@code similarity >= 0.985} or {@code at most 6 differing bits of 64}. */
  public String describeThreshold(double threshold) {
    return higherIsCloser ? unit + " >= " + format(threshold) : "at most " + format(threshold) + " " + unit;
  }
}
