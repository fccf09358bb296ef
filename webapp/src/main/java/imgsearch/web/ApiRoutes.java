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
    DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("images", searches.index().count(ImageFilter.ALL));
    body.put("descriptors", descriptors.names());
    body.put("models", descriptors.loadedModels());
    body.put("unavailable", descriptors.unavailable());
    body.put("index", searches.index().info().asMap());
    ctx.json(body);
  }

  private void descriptors(Context ctx) throws IOException {
    DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
    var entries = descriptors.entries();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("default", entries.isEmpty() ? null : entries.get(0).name());
    body.put("descriptors", entries);
    body.put("unavailable", descriptors.unavailable());
    ctx.json(body);
  }

  private void searchByIdOrText(Context ctx) throws IOException {
    SearchQuery q = SearchQuery.parse(ctx, catalog.snapshot(), SearchQuery.DEFAULT_K);
    ctx.json(searches.byIdOrText(ctx, q));
  }

  /**
   * An uploaded image, or (without a file) an id or words sent as form fields. The parameters are checked
   * before the image is decoded: a bad request costs no decoding.
   */
  private void searchByUpload(Context ctx) throws IOException {
    boolean hasFile = uploads.hasFile(ctx);
    DescriptorCatalog.Snapshot descriptors = catalog.snapshot();
    SearchQuery q = SearchQuery.parse(ctx, descriptors, SearchQuery.DEFAULT_K);
    if (!hasFile && (q.id() != null || q.text() != null)) {
      ctx.json(searches.byIdOrText(ctx, q));
      return;
    }
    if (q.text() != null || q.id() != null) {
      throw RequestError.badRequest("ambiguous_query", "send either an image, an id or text, not several at once");
    }
    DecodedImage image = uploads.read(ctx, descriptors.searchable().inputSide());
    ctx.json(searches.byImage(ctx, image, q));
  }
}
