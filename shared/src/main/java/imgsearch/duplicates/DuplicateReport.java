package imgsearch.duplicates;

import imgsearch.descriptor.DescriptorSpec;
import java.util.List;

/**
 * The near-duplicate groups of an index at one threshold, best first: the closest groups (their least close
 * member nearest the keeper) first, exact copies at the top, then larger groups before smaller ones.
 *
 * @param measure how closeness was judged
 * @param spec the stored vectors compared (descriptor, version)
 * @param threshold the threshold, in the measure's unit
 * @param indexed images in the index
 * @param compared images that had a vector of the descriptor
 * @param groups the groups, best first
 * @param millis time spent searching neighbours and grouping
 */
public record DuplicateReport(DuplicateMeasure measure, DescriptorSpec spec, double threshold, int indexed,
    int compared, List<DuplicateGroup> groups, long millis) {

  public DuplicateReport {
    groups = List.copyOf(groups);
  }

  /** Images that are not the keeper of their group. */
  public int redundantImages() {
    return groups.stream().mapToInt(g -> g.images().size() - 1).sum();
  }

  /** Bytes those images take. */
  public long redundantBytes() {
    return groups.stream().mapToLong(DuplicateGroup::redundantBytes).sum();
  }

  /** Whether the default threshold of the measure was tuned for these vectors. */
  public boolean tuned() {
    return measure.tunedFor(spec);
  }
}
