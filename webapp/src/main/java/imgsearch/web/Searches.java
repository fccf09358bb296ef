package imgsearch.web;

import imgsearch.image.DecodedImage;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.model.ModelUnavailableException;
import imgsearch.search.ImageSearcher;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.ResultsView;
import imgsearch.search.SearchResults;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Runs the searches the API and the pages share: by upload, by indexed image, by words. Leaves a summary
 * on the request for the per-search log line (see {@link WebServer}).
 */
final class Searches {

  /** Request attribute holding the log summary of the search a request ran. */
  static final String LOG_ATTRIBUTE = "imgsearch.search";

  private final ImageSearcher searcher;

  Searches(ImageSearcher searcher) {
    this.searcher = searcher;
  }

  ImageIndex index() {
    return searcher.index();
  }

  /** The image an id names, or a 404 saying it is not in the index. */
  ImageRecord record(String id) throws IOException {
    return searcher.index().get(id).orElseThrow(() -> RequestError.notFound("unknown_id",
        "no image with id '" + SearchQuery.abbreviate(id) + "' is in the index"));
  }

  ResultsView byImage(Context ctx, DecodedImage image, SearchQuery q) throws IOException {
    SearchResults r = search(() -> searcher.byImage(image.image(), q.resolved()));
    return done(ctx, "upload " + image.width() + "x" + image.height() + " " + image.format(), q, r,
        new ResultsView.QueryView("image", null, null));
  }

  ResultsView byId(Context ctx, SearchQuery q) throws IOException {
    record(q.id());
    SearchResults r = search(() -> searcher.byId(q.id(), q.resolved()));
    return done(ctx, "id", q, r, new ResultsView.QueryView("id", q.id(), null));
  }

  ResultsView byText(Context ctx, SearchQuery q) throws IOException {
    SearchResults r = search(() -> searcher.byText(q.text(), q.resolved()));
    return done(ctx, "text", q, r, new ResultsView.QueryView("text", null, q.text()));
  }

  /** One search of the {@link ImageSearcher}. */
  @FunctionalInterface
  private interface Search {
    SearchResults run() throws IOException;
  }

  /**
   * Runs a search; what the user asked wrongly, or a model that failed after the startup check, becomes the
   * {@link RequestError} the pages show in place. Anything else is a bug and goes up as it is (a 500).
   */
  private static SearchResults search(Search search) throws IOException {
    try {
      return search.run();
    } catch (InvalidQueryException e) {
      throw RequestError.of(e);
    } catch (ModelUnavailableException e) {
      throw RequestError.of(e);
    }
  }

  /** By id or by text, whichever the query has; a 400 when it has neither. */
  ResultsView byIdOrText(Context ctx, SearchQuery q) throws IOException {
    if (q.id() != null) {
      return byId(ctx, q);
    }
    if (q.text() != null) {
      return byText(ctx, q);
    }
    throw RequestError.badRequest("missing_query",
        "say what to search for: id=IMAGE_ID (images like an indexed one), text=WORDS, or POST an image");
  }

  private static ResultsView done(Context ctx, String by, SearchQuery q, SearchResults r,
      ResultsView.QueryView query) {
    String previous = ctx.attribute(LOG_ATTRIBUTE);
    String summary = "by=" + by + " descriptor=" + r.descriptor() + " metric=" + r.metric().id() + " k=" + q.k()
        + " exact=" + r.exact() + " hits=" + r.hits().size() + " searchMs=" + r.tookMs();
    ctx.attribute(LOG_ATTRIBUTE, previous == null ? summary : previous + "; " + summary);
    return ResultsView.of(r, q.k(), query, Urls.LINKS);
  }
}
