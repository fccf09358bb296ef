package imgsearch.index;

/**
 * Restricts searches and listings to a split and/or class; null fields match everything.
 *
 * @param split {@code train}, {@code test} or null
 * @param label class name or null
 */
public record ImageFilter(String split, String label) {

  /** Matches every image. */
  public static final ImageFilter ALL = new ImageFilter(null, null);

  public boolean matches(ImageRecord r) {
    return (split == null || split.equals(r.split())) && (label == null || label.equals(r.label()));
  }
}
