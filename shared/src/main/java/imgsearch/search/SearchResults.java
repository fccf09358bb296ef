package imgsearch.search;

import imgsearch.descriptor.Metric;
import imgsearch.index.SearchHit;
import java.util.List;

/**
 * The answer to one query, best first.
 *
 * @param hits results with their scores
 * @param descriptor descriptor used
 * @param metric metric used; scores are distances or similarities as the metric defines
 * @param exact whether every stored vector was compared (false: HNSW graph)
 * @param tookMs wall time including describing the query
 */
public record SearchResults(List<SearchHit> hits, String descriptor, Metric metric, boolean exact, long tookMs) {

  public SearchResults {
    hits = List.copyOf(hits);
  }
}
