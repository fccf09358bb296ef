package imgsearch.web;

import imgsearch.file.ByteSizes;
import imgsearch.image.DecodedImage;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads the query image from the {@code image} field of a multipart request and decodes it under the
 * server's limits. Every way an upload can be bad becomes a {@link RequestError} saying which. A request's
 * parameters are checked before its image is read and decoded (see {@link SearchQuery}), so a bad request
 * costs no decoding.
 */
final class UploadReader {

  /** The form field that carries the query image. */
  static final String FIELD = "image";

  /** Room for the multipart boundaries and the small form fields next to the file. */
  static final long MULTIPART_OVERHEAD = 64 * 1024;

  /** Decodes an upload's bytes at a shorter side of at least {@code minSide} ({@link ImageDecoder#decode(byte[], int)}). */
  @FunctionalInterface
  interface Decoder {
    DecodedImage decode(byte[] bytes, int minSide) throws ImageDecodeException;
  }

  private final Decoder decoder;
  private final long maxBytes;

  UploadReader(Decoder decoder, long maxBytes) {
    this.decoder = decoder;
    this.maxBytes = maxBytes;
  }

  /**
   * Refuses a multipart request over the size limit (413) before any of its fields is read: reading a field
   * parses the whole form.
   */
  void checkSize(Context ctx) {
    if (isMultipart(ctx)) {
      uploadedFile(ctx);
    }
  }

  /** True when the request is a multipart form with a non-empty file in {@link #FIELD}; checks its size first. */
  boolean hasFile(Context ctx) {
    if (!isMultipart(ctx)) {
      return false;
    }
    UploadedFile file = uploadedFile(ctx);
    return file != null && (file.size() > 0 || !file.filename().isEmpty());
  }

  /**
   * The query image, decoded at a shorter side of at least {@code minSide} (libjpeg-turbo reduces it while
   * decoding). Call it once the query's parameters are checked.
   */
  DecodedImage read(Context ctx, int minSide) {
    byte[] bytes = bytes(ctx);
    try {
      return decoder.decode(bytes, minSide);
    } catch (ImageDecodeException e) {
      throw toRequestError(e);
    }
  }

  /** The upload's bytes, or a {@link RequestError} saying what is wrong with the upload. */
  private byte[] bytes(Context ctx) {
    if (!isMultipart(ctx)) {
      throw RequestError.badRequest("no_file", "no image was sent: POST a multipart/form-data request with the image "
          + "file in the field '" + FIELD + "'");
    }
    UploadedFile file = uploadedFile(ctx);
    if (file == null || (file.size() == 0 && file.filename().isEmpty())) {
      throw RequestError.badRequest("no_file", "no image was sent: choose a photo (form field '" + FIELD + "')");
    }
    if (file.size() > maxBytes) {
      throw tooLarge();
    }
    try (InputStream in = file.content()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw RequestError.badRequest("upload_failed", "the upload could not be read to its end: " + e.getMessage());
    }
  }

  private UploadedFile uploadedFile(Context ctx) {
    long declared = ctx.contentLength();
    // Refuse before reading the body when its declared length already says it is too large.
    if (declared > maxBytes + MULTIPART_OVERHEAD) {
      throw tooLarge();
    }
    try {
      return ctx.uploadedFile(FIELD);
    } catch (IllegalStateException e) {
      // Jetty's multipart parser: past its size limits, or a malformed part (a BadMessageException inside)
      throw mentionsSizeLimit(e) ? tooLarge() : badMultipart(e.getCause() != null ? e.getCause() : e);
    } catch (Exception e) {
      // Javalin (Kotlin) lets the servlet API's checked IOException through undeclared: a body that is not a
      // multipart form (no boundary, cut short, a part without a name).
      if (e instanceof IOException) {
        throw badMultipart(e);
      }
      throw e;
    }
  }

  private static RequestError badMultipart(Throwable e) {
    return RequestError.badRequest("bad_multipart", "the multipart form could not be parsed (" + e.getMessage()
        + "); send the image as multipart/form-data in the field '" + FIELD + "'");
  }

  private RequestError tooLarge() {
    return new RequestError(413, "upload_too_large", "the upload is larger than the limit of " + ByteSizes.megabytes(maxBytes)
        + "; send a smaller image");
  }

  private static boolean mentionsSizeLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("exceeds max") || m.contains("too large") || m.contains("maxrequestsize")
          || m.contains("max filesize")) {
        return true;
      }
    }
    return false;
  }

  static RequestError toRequestError(ImageDecodeException e) {
    return switch (e.reason()) {
      case NOT_AN_IMAGE -> new RequestError(415, "not_an_image", e.getMessage());
      case TRUNCATED -> new RequestError(422, "truncated_image", e.getMessage());
      case CORRUPT -> new RequestError(422, "corrupt_image", e.getMessage());
      case TOO_MANY_BYTES -> new RequestError(413, "upload_too_large", e.getMessage());
      case TOO_MANY_PIXELS -> new RequestError(413, "too_many_pixels", e.getMessage());
      case IO -> new RequestError(400, "unreadable_image", e.getMessage());
    };
  }

  private static boolean isMultipart(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }
}
