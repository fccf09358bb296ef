package imgsearch.web;

import imgsearch.image.DecodedImage;
import imgsearch.index.ImageFilter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON API under {@code /api}. */
final class ApiRoutes {

  private final Searches searches;
  private final DescriptorCatalog catalog;
  private final UploadReader uploads;
  private final ImageRoutes images;

  ApiRoutes(Searches searches, DescriptorCatalog catalog, UploadReader uploads, ImageRoutes images) {
    this.searches = searches;
    this.catalog = catalog;
    this.uploads = uploads;
    this.images = images;
  }

  void register(Javalin app) {
    app.get("/api/health", this::health);
    app.get("/api/descriptors", this::descriptors);
    app.get("/api/search", this::searchByIdOrText);
    app.post("/api/search", this::searchByUpload);
    app.get("/api/images/{id}", ctx -> images.original(ctx, ctx.pathParam("id")));
    app.get("/api/images/{id}/thumbnail", ctx -> images.thumbnail(ctx, ctx.pathParam("id")));
  }

  private void health(Context ctx) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("images", searches.index().count(ImageFilter.ALL));
    body.put("descriptors", catalog.names());
    body.put("models", catalog.loadedModels());
    body.put("unavailable", catalog.unavailable());
    body.put("index", searches.index().info().asMap());
    ctx.json(body);
  }

  private void descriptors(Context ctx) throws IOException {
    var entries = catalog.entries();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("default", entries.isEmpty() ? null : entries.get(0).name());
    body.put("descriptors", entries);
    body.put("unavailable", catalog.unavailable());
    ctx.json(body);
  }

  private void searchByIdOrText(Context ctx) throws IOException {
    SearchQuery q = SearchQuery.parse(ctx, catalog, SearchQuery.DEFAULT_K);
    ctx.json(searches.byIdOrText(ctx, q));
  }

  /** An uploaded image, or (without a file) an id or words sent as form fields. */
  private void searchByUpload(Context ctx) throws IOException {
    boolean hasFile = uploads.hasFile(ctx);
    SearchQuery q;
    if (!hasFile && (SearchQuery.param(ctx, "id") != null || SearchQuery.param(ctx, "text") != null)) {
      q = SearchQuery.parse(ctx, catalog, SearchQuery.DEFAULT_K);
      ctx.json(searches.byIdOrText(ctx, q));
      return;
    }
    UploadReader.Upload upload = uploads.read(ctx, () -> SearchQuery.parse(ctx, catalog, SearchQuery.DEFAULT_K),
        searches::inputSide);
    q = upload.query();
    if (q.text() != null || q.id() != null) {
      throw RequestError.badRequest("ambiguous_query", "send either an image, an id or text, not several at once");
    }
    ctx.json(searches.byImage(ctx, upload.image(), q));
  }
}
