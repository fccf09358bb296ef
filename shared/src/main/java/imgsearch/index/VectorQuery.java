package imgsearch.index;

import imgsearch.descriptor.Metric;
import java.util.Objects;

/**
 * A nearest-neighbour query against one descriptor's vectors.
 *
 * @param descriptor descriptor name
 * @param metric how to compare; must be one of the descriptor's metrics
 * @param vector the query vector, described with the index's spec of that descriptor
 * @param k how many results
 * @param exact true to scan every stored vector; false lets the index use its HNSW graph where the
 *     metric allows (it falls back to a scan where it does not)
 * @param filter which images may be returned
 * @param excludeId an image id never returned (the query image itself in "more like this"), or null
 */
public record VectorQuery(String descriptor, Metric metric, float[] vector, int k, boolean exact, ImageFilter filter,
    String excludeId) {

  public VectorQuery {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(vector, "vector");
    filter = filter == null ? ImageFilter.ALL : filter;
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
  }
}
