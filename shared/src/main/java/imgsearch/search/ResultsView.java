package imgsearch.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import imgsearch.index.SearchHit;
import java.util.List;

/**
 * The answer to one search in the one shape every caller shows it: the JSON of the web API
 * ({@code /api/search}), of {@code imgsearch search --json}, and the model of the web pages. Null fields are
 * left out of the JSON.
 *
 * @param results best first
 * @param descriptor descriptor used
 * @param metric metric id used
 * @param higherIsBetter whether scores are similarities (true) or distances (false)
 * @param exact whether every vector was compared
 * @param k how many results were asked for
 * @param tookMs search time, describing the query included
 * @param query what was searched for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultsView(List<HitView> results, String descriptor, String metric, boolean higherIsBetter,
    boolean exact, int k, long tookMs, QueryView query) {

  /**
   * The query of a search.
   *
   * @param type {@code image} (a photo), {@code id} or {@code text}
   * @param id the indexed image searched with, for {@code id}
   * @param text the words, for {@code text}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QueryView(String type, String id, String text) {}

  public ResultsView {
    results = List.copyOf(results);
  }

  /**
   * @param k how many results were asked for
   * @param links where the caller serves each image, or {@link HitView.Links#NONE}
   */
  public static ResultsView of(SearchResults r, int k, QueryView query, HitView.Links links) {
    List<HitView> hits = r.hits().stream().map((SearchHit h) -> HitView.of(h.image(), h.score(), links)).toList();
    return new ResultsView(hits, r.descriptor(), r.metric().id(), r.metric().higherIsBetter(), r.exact(), k,
        r.tookMs(), query);
  }

  /** "distance" or "similarity", for labels on the pages. */
  public String scoreKind() {
    return higherIsBetter ? "similarity" : "distance";
  }
}
