package imgsearch.web;

import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageFiles;
import imgsearch.index.ImageRecord;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The routes that serve the bytes and thumbnails of indexed images; ids only, never paths from the request. */
final class ImageRoutes {
  private static final String CACHE_CONTROL = "public, max-age=86400";

  private final Searches searches;
  private final Thumbnails thumbnails;

  ImageRoutes(Searches searches, Thumbnails thumbnails) {
    this.searches = searches;
    this.thumbnails = thumbnails;
  }

  void original(Context ctx, String id) throws IOException {
    ImageRecord r = searches.record(id);
    Path file = Path.of(r.path());
    if (!Files.isRegularFile(file)) {
      throw RequestError.notFound("file_missing", "the file of image '" + id
          + "' is no longer on disk; re-run 'imgsearch index' to update the index");
    }
    if (notModified(ctx, r, "o")) {
      return;
    }
    ctx.contentType(ImageFiles.contentType(file));
    ctx.header("Cache-Control", CACHE_CONTROL);
    ctx.result(Files.newInputStream(file));
  }

  void thumbnail(Context ctx, String id) throws IOException {
    ImageRecord r = searches.record(id);
    if (notModified(ctx, r, "t")) {
      return;
    }
    Path file;
    try {
      file = thumbnails.get(r);
    } catch (ImageDecodeException e) {
      throw new RequestError(e.reason() == ImageDecodeException.Reason.IO ? 404 : 500, "thumbnail_failed",
          "no thumbnail could be made of image '" + id + "': " + e.getMessage());
    }
    ctx.contentType("image/jpeg");
    ctx.header("Cache-Control", CACHE_CONTROL);
    ctx.result(Files.newInputStream(file));
  }

  /** Answers 304 when the browser already has this version (the content hash is the ETag). */
  private static boolean notModified(Context ctx, ImageRecord r, String kind) {
    if (r.contentHash() == null || r.contentHash().isEmpty()) {
      return false;
    }
    String etag = "\"" + kind + "-" + r.contentHash() + "\"";
    ctx.header("ETag", etag);
    if (etag.equals(ctx.header("If-None-Match"))) {
      ctx.header("Cache-Control", CACHE_CONTROL);
      ctx.status(304);
      return true;
    }
    return false;
  }
}
