package imgsearch.duplicates;

import java.util.List;

/**
 * Images that are near-duplicates of each other, the suggested keeper first, then the others closest first.
 *
 * @param images at least two, keeper first
 * @param keepReason why the first one is suggested
 * @param weakest the score of the member least close to the keeper, in the measure's unit
 */
public record DuplicateGroup(List<DuplicateImage> images, KeeperRule.Reason keepReason, double weakest) {

  public DuplicateGroup {
    images = List.copyOf(images);
    if (images.size() < 2 || !images.get(0).keep()) {
      throw new IllegalArgumentException("a group has at least two images, the keeper first");
    }
  }

  /** The suggested keeper. */
  public DuplicateImage keeper() {
    return images.get(0);
  }

  /** Bytes the group's other images take. */
  public long redundantBytes() {
    return images.stream().skip(1).mapToLong(d -> d.image().sizeBytes()).sum();
  }
}
