package imgsearch.web;

import imgsearch.search.InvalidQueryException;
import imgsearch.search.SearchOptions;
import io.javalin.http.Context;

/**
 * What the search form shows as chosen: the request's own values, so a results page keeps the user's
 * choices. Empty strings mean "the default".
 *
 * @param descriptor descriptor name or ""
 * @param metric metric id or ""
 * @param k number of results
 * @param exact exact scan
 * @param text words of a text query, or ""
 * @param custom whether anything differs from the defaults (the options are then shown unfolded)
 */
public record FormState(String descriptor, String metric, int k, boolean exact, String text, boolean custom) {

  static FormState defaults(int k) {
    return new FormState("", "", k, false, "", false);
  }

  /** The choices of a parsed query; a text query leaves the photo form's descriptor at its default. */
  static FormState of(SearchQuery q, Context ctx, DescriptorCatalog.Snapshot catalog, int defaultK) {
    boolean byText = q.text() != null && q.id() == null;
    String descriptor = byText ? "" : q.descriptor();
    String metric = byText || SearchQuery.param(ctx, "metric") == null ? "" : q.metric().id();
    String best = catalog.defaultEntry(false).map(DescriptorInfo::name).orElse("");
    String bestMetric = catalog.find(q.descriptor()).map(DescriptorInfo::defaultMetric).orElse("");
    boolean custom = (!descriptor.isEmpty() && !descriptor.equals(best))
        || (!metric.isEmpty() && !metric.equals(bestMetric)) || q.exact() || q.k() != defaultK;
    return new FormState(descriptor, metric, q.k(), q.exact(), byText ? q.text() : "", custom);
  }

  /** The raw parameters of a request that could not be parsed, as far as they can be read. */
  static FormState lenient(Context ctx, int defaultK) {
    try {
      int k;
      try {
        k = SearchOptions.parseK(SearchQuery.param(ctx, "k"), defaultK);
      } catch (InvalidQueryException e) {
        k = defaultK;
      }
      String descriptor = orEmpty(SearchQuery.param(ctx, "descriptor"));
      String metric = orEmpty(SearchQuery.param(ctx, "metric"));
      boolean exact = "true".equals(SearchQuery.param(ctx, "exact"));
      return new FormState(descriptor, metric, k, exact, orEmpty(SearchQuery.param(ctx, "text")),
          !descriptor.isEmpty() || !metric.isEmpty() || exact || k != defaultK);
    } catch (Exception unreadableForm) {
      // e.g. an upload over the size limit, or a broken form (Javalin lets the servlet API's IOException
      // through undeclared): its form fields cannot be read either
      return defaults(defaultK);
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
