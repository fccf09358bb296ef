package imgsearch.web;

import imgsearch.search.ResultsView;

/**
 * One descriptor x metric on the compare page.
 *
 * @param descriptor descriptor name
 * @param title the descriptor's name with version and config, for people
 * @param metric metric id
 * @param results its results for the query
 * @param sameClass how many results have the query's class, or -1 when the query has no known class
 */
public record CompareRow(String descriptor, String title, String metric, ResultsView results, int sameClass) {

  static CompareRow of(DescriptorInfo d, String metric, ResultsView r, String queryClass) {
    int same = queryClass == null ? -1
        : (int) r.results().stream().filter(h -> queryClass.equals(h.label())).count();
    return new CompareRow(d.name(), d.title(), metric, r, same);
  }
}
