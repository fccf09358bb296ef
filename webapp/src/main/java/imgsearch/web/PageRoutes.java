package imgsearch.web;

import imgsearch.descriptor.Metric;
import imgsearch.eval.EvalFiles;
import imgsearch.eval.EvalReport;
import imgsearch.eval.Evaluator;
import imgsearch.file.ByteSizes;
import imgsearch.image.DecodedImage;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.search.HitView;
import imgsearch.search.ResultsView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The HTML pages: search, results, browse, compare and evaluation. */
final class PageRoutes {

  static final int BROWSE_PAGE_SIZE = 48;
  static final int MAX_BROWSE_PAGE_SIZE = 200;
  static final int COMPARE_DEFAULT_K = 5;
  private static final int PREVIEW_SIZE = 320;
  /** The shorter side an upload is decoded at, at least, for its preview. */
  private static final int PREVIEW_SIDE = 160;

  private final Searches searches;
  private final DescriptorCatalog catalog;
  private final UploadReader uploads;
  private final EvalFiles evalFiles;
  private final long maxUploadBytes;

  PageRoutes(Searches searches, DescriptorCatalog catalog, UploadReader uploads, EvalFiles evalFiles,
      long maxUploadBytes) {
    this.searches = searches;
    this.catalog = catalog;
    this.uploads = uploads;
    this.evalFiles = evalFiles;
    this.maxUploadBytes = maxUploadBytes;
  }

  void register(Javalin app) {
    app.get("/", ctx -> render(ctx, "search", model("search", FormState.defaults(SearchQuery.DEFAULT_K),
        catalog.snapshot())));
    app.get("/search", this::searchGet);
    app.post("/search", this::searchPost);
    app.get("/compare", this::compareGet);
    app.post("/compare", this::comparePost);
    app.get("/browse", this::browse);
    app.get("/eval", this::eval);
    app.get("/eval/" + EvalFiles.CHART_PNG, this::evalChart);
  }

  /** Results for an indexed image or for words: a GET, so the page can be shared and reloaded. */
  private void searchGet(Context ctx) throws IOException {
    if (SearchQuery.param(ctx, "id") == null && SearchQuery.param(ctx, "text") == null) {
      ctx.redirect("/");
      return;
    }
    try {
      DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
      SearchQuery q = SearchQuery.parse(ctx, descriptors, SearchQuery.DEFAULT_K);
      ResultsView results = searches.byIdOrText(ctx, q);
      Map<String, Object> m = model("search", FormState.of(q, ctx, descriptors, SearchQuery.DEFAULT_K), descriptors);
      m.put("results", results);
      m.put("query", q.id() != null ? QueryPreview.ofRecord(HitView.of(searches.record(q.id()), null, Urls.LINKS))
          : QueryPreview.ofText(q.text()));
      render(ctx, "search", m);
    } catch (RequestError e) {
      renderSearchError(ctx, "search", e, SearchQuery.DEFAULT_K);
    }
  }

  /**
   * An uploaded photo (rendered at once), or words from a form post (redirected to the shareable GET). The
   * parameters are checked before the photo is decoded.
   */
  private void searchPost(Context ctx) throws IOException {
    try {
      boolean hasFile = uploads.hasFile(ctx);
      DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
      SearchQuery q = SearchQuery.parse(ctx, descriptors, SearchQuery.DEFAULT_K);
      if (!hasFile && q.text() != null) {
        ctx.redirect(textSearchUrl(q, SearchQuery.param(ctx, "metric") != null), io.javalin.http.HttpStatus.SEE_OTHER);
        return;
      }
      DecodedImage image = uploads.read(ctx, Math.max(PREVIEW_SIDE, descriptors.searchable().inputSide()));
      ResultsView results = searches.byImage(ctx, image, q);
      Map<String, Object> m = model("search", FormState.of(q, ctx, descriptors, SearchQuery.DEFAULT_K), descriptors);
      m.put("results", results);
      m.put("query", QueryPreview.ofUpload(dataUri(image)));
      render(ctx, "search", m);
    } catch (RequestError e) {
      renderSearchError(ctx, "search", e, SearchQuery.DEFAULT_K);
    }
  }

  private void compareGet(Context ctx) throws IOException {
    DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
    if (SearchQuery.param(ctx, "id") == null) {
      render(ctx, "compare", model("compare", FormState.defaults(COMPARE_DEFAULT_K), descriptors));
      return;
    }
    try {
      SearchQuery q = SearchQuery.parse(ctx, descriptors, COMPARE_DEFAULT_K);
      HitView query = HitView.of(searches.record(q.id()), null, Urls.LINKS);
      renderComparison(ctx, descriptors, q, QueryPreview.ofRecord(query), query.label(), null);
    } catch (RequestError e) {
      renderSearchError(ctx, "compare", e, COMPARE_DEFAULT_K);
    }
  }

  private void comparePost(Context ctx) throws IOException {
    try {
      uploads.checkSize(ctx);
      DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
      SearchQuery q = SearchQuery.parse(ctx, descriptors, COMPARE_DEFAULT_K);
      // Every descriptor runs on this one image, decoded at the size the index's photos were decoded at.
      DecodedImage image = uploads.read(ctx, Math.max(PREVIEW_SIDE, descriptors.searchable().inputSide()));
      renderComparison(ctx, descriptors, q, QueryPreview.ofUpload(dataUri(image)), null, image);
    } catch (RequestError e) {
      renderSearchError(ctx, "compare", e, COMPARE_DEFAULT_K);
    }
  }

  /** Runs the query under every descriptor x metric; rows in catalog order (best descriptor first). */
  private void renderComparison(Context ctx, DescriptorCatalog.Snapshot descriptors, SearchQuery q,
      QueryPreview preview, String queryClass, DecodedImage upload) throws IOException {
    long start = System.nanoTime();
    List<CompareRow> rows = new ArrayList<>();
    for (DescriptorInfo d : descriptors.entries()) {
      for (String metricId : d.metrics()) {
        SearchQuery one = q.with(descriptors, d.name(), Metric.fromId(metricId));
        ResultsView r = upload != null ? searches.byImage(ctx, upload, one) : searches.byId(ctx, one);
        rows.add(CompareRow.of(d, metricId, r, queryClass));
      }
    }
    ctx.attribute(Searches.LOG_ATTRIBUTE, "compare by=" + (upload != null ? "upload" : "id") + " methods="
        + rows.size() + " k=" + q.k() + " searchMs=" + (System.nanoTime() - start) / 1_000_000);
    Map<String, Object> m = model("compare", new FormState("", "", q.k(), q.exact(), "", q.k() != COMPARE_DEFAULT_K),
        descriptors);
    m.put("rows", rows);
    m.put("query", preview);
    m.put("queryClass", queryClass);
    render(ctx, "compare", m);
  }

  private void browse(Context ctx) throws IOException {
    String split = SearchQuery.param(ctx, "split");
    String label = SearchQuery.param(ctx, "class");
    int page = parsePositive(SearchQuery.param(ctx, "page"), "page", 1, Integer.MAX_VALUE / MAX_BROWSE_PAGE_SIZE);
    int size = parsePositive(SearchQuery.param(ctx, "size"), "size", BROWSE_PAGE_SIZE, MAX_BROWSE_PAGE_SIZE);
    ImageFilter filter = new ImageFilter(split, label);
    int total = searches.index().count(filter);
    int pages = Math.max(1, (total + size - 1) / size);
    List<HitView> images = searches.index().list(filter, (page - 1) * size, size).stream()
        .map((ImageRecord r) -> HitView.of(r, null, Urls.LINKS)).toList();
    Map<String, Object> m = model("browse", FormState.defaults(SearchQuery.DEFAULT_K), catalog.snapshot());
    m.put("groups", BrowseGroup.of(searches.index().counts()));
    m.put("split", split);
    m.put("label", label);
    m.put("images", images);
    m.put("total", total);
    m.put("pageNumber", page);
    m.put("pages", pages);
    m.put("size", size == BROWSE_PAGE_SIZE ? null : size);
    render(ctx, "browse", m);
  }

  private void eval(Context ctx) throws IOException {
    Map<String, Object> m = model("eval", FormState.defaults(SearchQuery.DEFAULT_K), catalog.snapshot());
    Optional<EvalReport> report = evalFiles.read();
    m.put("report", report.orElse(null));
    m.put("hasSplit", report.isPresent() || Evaluator.hasTrainTestSplit(searches.index()));
    m.put("hasChart", report.isPresent() && Files.isRegularFile(evalFiles.chartPng()));
    if (report.isPresent()) {
      m.put("table", report.get().tableRows());
      m.put("classTable", report.get().classTableRows());
    }
    render(ctx, "eval", m);
  }

  private void evalChart(Context ctx) throws IOException {
    if (!Files.isRegularFile(evalFiles.chartPng())) {
      throw RequestError.notFound("no_evaluation", "this index has not been evaluated yet: run 'imgsearch eval'");
    }
    ctx.contentType("image/png");
    ctx.header("Cache-Control", "no-cache");
    ctx.result(Files.newInputStream(evalFiles.chartPng()));
  }

  private void renderSearchError(Context ctx, String template, RequestError e, int defaultK) throws IOException {
    Map<String, Object> m = model(template, FormState.lenient(ctx, defaultK), catalog.snapshot());
    m.put("error", ErrorView.of(e));
    ctx.status(e.status());
    render(ctx, template, m);
  }

  /** The model every page starts from, for pages whose routes live elsewhere (e.g. {@link DuplicateRoutes}). */
  Map<String, Object> pageModel(String nav) {
    try {
      return model(nav, FormState.defaults(SearchQuery.DEFAULT_K), catalog.snapshot());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The model every page gets: the descriptors for the forms and the active navigation entry. */
  private Map<String, Object> model(String nav, FormState form, DescriptorCatalog.Snapshot descriptors) {
    Map<String, Object> m = new HashMap<>();
    m.put("nav", nav);
    m.put("form", form);
    m.put("descriptors", descriptors.entries());
    m.put("metrics", MetricOption.all(descriptors.entries()));
    m.put("supportsText", descriptors.supportsText());
    m.put("unavailable", descriptors.unavailable());
    m.put("maxUpload", ByteSizes.megabytes(maxUploadBytes));
    return m;
  }

  private static void render(Context ctx, String template, Map<String, Object> model) {
    ctx.header("Cache-Control", "no-store");
    ctx.render(template, model);
  }

  private static String textSearchUrl(SearchQuery q, boolean metricChosen) {
    StringBuilder url = new StringBuilder("/search?text=").append(Urls.query(q.text()));
    url.append("&descriptor=").append(Urls.query(q.descriptor()));
    if (metricChosen) {
      url.append("&metric=").append(q.metric().id());
    }
    url.append("&k=").append(q.k());
    if (q.exact()) {
      url.append("&exact=true");
    }
    return url.toString();
  }

  static int parsePositive(String value, String name, int defaultValue, int max) {
    if (value == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RequestError.badRequest("bad_" + name, name + " must be a whole number from 1 to " + max + ", was '"
        + SearchQuery.abbreviate(value) + "'");
  }

  /** The uploaded image, small, inline in the page: it is not in the index, so it has no URL. */
  private static String dataUri(DecodedImage image) throws IOException {
    return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(Thumbnails.jpeg(image.image(), PREVIEW_SIZE));
  }
}
