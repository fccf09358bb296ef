package imgsearch.web;

import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.DuplicatesJson;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Duplicates page ({@code /duplicates}) and its JSON twin ({@code /api/duplicates}): the near-duplicate
 * groups of the collection at a threshold, best first, a page of groups at a time.
 */
final class DuplicateRoutes {

  static final int PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 200;

  private final ImageIndex index;
  private final DuplicatesCache cache;
  private final String indexLocation;
  private final Function<String, Map<String, Object>> pageModel;

  /**
   * @param indexLocation the index as the command line names it, for messages saying what to run
   * @param pageModel the model every page starts from (navigation, notices), given the page's name
   */
  DuplicateRoutes(ImageIndex index, DuplicatesCache cache, String indexLocation,
      Function<String, Map<String, Object>> pageModel) {
    this.index = index;
    this.cache = cache;
    this.indexLocation = indexLocation;
    this.pageModel = pageModel;
  }

  void register(Javalin app) {
    app.get("/duplicates", this::page);
    app.get("/api/duplicates", this::api);
  }

  /** What a request asks for, checked. */
  private record Request(DuplicateMeasure measure, Double threshold, int page, int size) {

    double thresholdOrDefault() {
      return threshold != null ? threshold : measure.defaultThreshold();
    }
  }

  /** The measure asked for (or the best one the index has) and the threshold, page and size; null measure: none. */
  private Request parse(Context ctx) throws IOException {
    String descriptor = SearchQuery.param(ctx, "descriptor");
    if (descriptor != null && DuplicateMeasure.named(descriptor).isEmpty()) {
      throw RequestError.badRequest("bad_descriptor", "duplicates cannot use '" + SearchQuery.abbreviate(descriptor)
          + "'; use one of " + String.join(", ", DuplicateMeasure.names()));
    }
    DuplicateMeasure measure = DuplicateMeasure.choose(index.descriptors(), descriptor).orElse(null);
    int page = PageRoutes.parsePositive(SearchQuery.param(ctx, "page"), "page", 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
    int size = PageRoutes.parsePositive(SearchQuery.param(ctx, "size"), "size", PAGE_SIZE, MAX_PAGE_SIZE);
    Double threshold = null;
    if (SearchQuery.param(ctx, "threshold") != null && measure != null) {
      threshold = threshold(ctx, measure);
    }
    return new Request(measure, threshold, page, size);
  }

  /** The threshold asked for: one the measure takes, within the slider's range (the neighbours found reach it). */
  private static double threshold(Context ctx, DuplicateMeasure m) {
    double lo = Math.min(m.loosestThreshold(), m.strictestThreshold());
    double hi = Math.max(m.loosestThreshold(), m.strictestThreshold());
    String range = "the threshold for " + m.descriptor() + " is a " + (m.higherIsCloser() ? "" : "whole number of ")
        + m.unit() + " from " + m.format(lo) + " to " + m.format(hi);
    return ctx.queryParamAsClass("threshold", Double.class)
        .check(t -> m.thresholdProblem(t).isEmpty() && t >= lo && t <= hi, range)
        .getOrThrow(invalid -> RequestError.badRequest("bad_threshold", range + ", was '"
            + SearchQuery.abbreviate(SearchQuery.param(ctx, "threshold")) + "'"));
  }

  private void api(Context ctx) throws IOException {
    Request q = parse(ctx);
    if (q.measure() == null) {
      if (index.count(ImageFilter.ALL) == 0) {
        ctx.json(Map.of("status", "done", "indexed", 0, "groupCount", 0, "groups", List.of()));
        return;
      }
      throw new RequestError(409, "no_duplicate_descriptor", missing(ctx));
    }
    DuplicatesCache.State state = cache.state(q.measure());
    if (!state.ready()) {
      ctx.status(202);
      ctx.header("Retry-After", "2");
      ctx.json(Map.of("status", "computing", "done", state.done(), "total", state.total()));
      return;
    }
    DuplicateReport report = DuplicateFinder.group(state.graph(), q.thresholdOrDefault());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "done");
    body.putAll(DuplicatesJson.of(report, (q.page() - 1) * q.size(), q.size(), DuplicateRoutes::links));
    body.put("page", q.page());
    body.put("pages", pages(report, q.size()));
    body.put("size", q.size());
    ctx.json(body);
  }

  private void page(Context ctx) throws IOException {
    Request q = parse(ctx);
    Map<String, Object> m = pageModel.apply("duplicates");
    m.put("measures", DuplicateMeasure.PREFERENCE.stream().filter(this::indexed).toList());
    m.put("measure", q.measure());
    m.put("empty", index.count(ImageFilter.ALL) == 0);
    if (q.measure() == null) {
      m.put("missing", missing(ctx));
      render(ctx, m);
      return;
    }
    m.put("slider", SliderView.of(q.measure(), q.thresholdOrDefault()));
    DuplicatesCache.State state = cache.state(q.measure());
    if (!state.ready()) {
      ctx.header("Refresh", "2"); // the browser reloads until the groups are there
      m.put("progress", state);
      render(ctx, m);
      return;
    }
    DuplicateReport report = DuplicateFinder.group(state.graph(), q.thresholdOrDefault());
    int pages = pages(report, q.size());
    int page = Math.min(q.page(), pages);
    m.put("report", DuplicatesView.of(report, (page - 1) * q.size(), q.size()));
    m.put("pageNumber", page);
    m.put("pages", pages);
    m.put("previousUrl", page > 1 ? pageUrl(ctx, q, page - 1) : null);
    m.put("nextUrl", page < pages ? pageUrl(ctx, q, page + 1) : null);
    render(ctx, m);
  }

  /** This page's address with another page number: the threshold, descriptor and size stay. */
  private static String pageUrl(Context ctx, Request q, int page) {
    StringBuilder url = new StringBuilder("/duplicates?");
    if (q.threshold() != null) {
      url.append("threshold=").append(q.measure().format(q.threshold())).append('&');
    }
    String descriptor = SearchQuery.param(ctx, "descriptor");
    if (descriptor != null) {
      url.append("descriptor=").append(Urls.query(descriptor)).append('&');
    }
    if (q.size() != PAGE_SIZE) {
      url.append("size=").append(q.size()).append('&');
    }
    return url.append("page=").append(page).toString();
  }

  private boolean indexed(DuplicateMeasure m) {
    try {
      return index.descriptors().containsKey(m.descriptor());
    } catch (IOException e) {
      return false;
    }
  }

  private static void render(Context ctx, Map<String, Object> model) {
    ctx.header("Cache-Control", "no-store");
    ctx.render("duplicates", model);
  }

  private static int pages(DuplicateReport report, int size) {
    return Math.max(1, (report.groups().size() + size - 1) / size);
  }

  private String missing(Context ctx) {
    return DuplicateMeasure.missingMessage(SearchQuery.param(ctx, "descriptor"), indexLocation);
  }

  /** The web app's links of an image, added to each image of the JSON. */
  private static Map<String, Object> links(ImageRecord r) {
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("url", Urls.image(r.id()));
    links.put("thumbnailUrl", Urls.thumbnail(r.id()));
    links.put("similarUrl", "/search?id=" + Urls.query(r.id()));
    return links;
  }
}
