package imgsearch.index.lucene;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

/**
 * The index's merge policy ({@code TieredMergePolicy}) plus one job: while a set of segments is marked
 * for rewriting, a forced merge merges each of them alone, which writes it again through the current codec
 * (after the quantization of a descriptor changed). Merges read the float vectors every format keeps, so a
 * rewrite loses nothing.
 */
final class RewriteMergePolicy extends FilterMergePolicy {

  private volatile Set<String> toRewrite = Set.of();

  RewriteMergePolicy(MergePolicy in) {
    super(in);
  }

  /** Marks segments (by name) to rewrite on the next forced merge; an empty set ends it. */
  void rewrite(Set<String> segmentNames) {
    toRewrite = Set.copyOf(segmentNames);
  }

  @Override
  public MergeSpecification findForcedMerges(SegmentInfos infos, int maxSegmentCount,
      Map<SegmentCommitInfo, Boolean> segmentsToMerge, MergeContext context) throws IOException {
    Set<String> marked = toRewrite;
    if (marked.isEmpty()) {
      return super.findForcedMerges(infos, maxSegmentCount, segmentsToMerge, context);
    }
    MergeSpecification spec = new MergeSpecification();
    for (SegmentCommitInfo info : infos) {
      if (marked.contains(info.info.name) && !context.getMergingSegments().contains(info)) {
        spec.add(new OneMerge(java.util.List.of(info)));
      }
    }
    return spec.merges.isEmpty() ? null : spec;
  }
}
