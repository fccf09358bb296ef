package imgsearch.search;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.VectorQuery;

/**
 * A search resolved against the index once ({@link SearchableDescriptors#resolve}): the descriptor that
 * describes the query as the index's spec says, the metric, and the rest of the options. A request resolves
 * its query once and passes this value down; nothing below reads the index's catalogue again.
 *
 * @param descriptor computes the query's vector, compatible with {@code spec}
 * @param spec the index's spec of the descriptor: which vectors are compared
 * @param metric the metric, one of the spec's
 * @param options the options asked for (their descriptor and metric may be null: "the best")
 */
public record ResolvedQuery(Descriptor descriptor, DescriptorSpec spec, Metric metric, SearchOptions options) {

  /** The vector query for the index, checked against the spec. */
  VectorQuery vectorQuery(float[] vector, String excludeId) {
    return new VectorQuery(spec, metric, vector, options.k(), options.exact(), options.filter(), excludeId);
  }
}
