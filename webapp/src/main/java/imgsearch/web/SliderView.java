package imgsearch.web;

import imgsearch.duplicates.DuplicateMeasure;

/**
 * The threshold slider of the Duplicates page.
 *
 * @param min lowest value on the slider
 * @param max highest value
 * @param step slider step
 * @param value the threshold shown
 * @param valueText the threshold as people read it
 * @param label what the slider sets, e.g. {@code Similarity at least}
 * @param help what moving it does
 */
public record SliderView(String min, String max, String step, String value, String valueText, String label,
    String help) {

  static SliderView of(DuplicateMeasure m, double threshold) {
    double lo = Math.min(m.loosestThreshold(), m.strictestThreshold());
    double hi = Math.max(m.loosestThreshold(), m.strictestThreshold());
    String label = m.higherIsCloser() ? "Similarity at least" : "Differing bits at most";
    String help = (m.higherIsCloser()
        ? "Similarity of the " + m.descriptor() + " vectors over what both images have (1 = identical; a grey copy"
            + " is compared on its edges and brightness). Lower finds more groups, and more"
            + " mistakes; higher finds only the closest copies."
        : "Bits of 64 in which the " + m.descriptor() + " perceptual hashes differ (0 = identical). More finds more"
            + " groups, and more mistakes; the crawler drops images within " + m.format(m.defaultThreshold()) + ".")
        + " Default " + m.format(m.defaultThreshold()) + ".";
    return new SliderView(m.format(lo), m.format(hi), plain(m.step()), plain(threshold), m.format(threshold), label,
        help);
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
