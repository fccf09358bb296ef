package imgsearch.web;

import imgsearch.model.ModelUnavailableException;
import imgsearch.search.InvalidQueryException;

/**
 * A request the server refuses, with the HTTP status, a stable machine-readable code and a message that
 * tells the user what was wrong. Rendered as JSON under {@code /api} and as a friendly page elsewhere.
 */
public final class RequestError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public RequestError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** Short stable identifier such as {@code no_file} or {@code too_many_pixels}. */
  public String code() {
    return code;
  }

  /**
   * The answer to a search the user asked wrongly: the only place its reasons become statuses and codes.
   * (Any other exception of a search is a bug: a 500, logged with its stack trace by {@link WebServer}.)
   */
  static RequestError of(InvalidQueryException e) {
    return switch (e.reason()) {
      case TEXT_NOT_SUPPORTED -> badRequest("text_not_supported", e.getMessage());
      case UNKNOWN_ID -> notFound("unknown_id", e.getMessage());
      case EMPTY_INDEX -> new RequestError(503, "empty_index", e.getMessage());
      case UNKNOWN_DESCRIPTOR -> badRequest("unknown_descriptor", e.getMessage());
      case UNKNOWN_METRIC, UNAVAILABLE_METRIC -> badRequest("unknown_metric", e.getMessage());
      case BAD_K -> badRequest("bad_k", e.getMessage());
      case STALE_DESCRIPTOR -> badRequest("bad_query", e.getMessage());
    };
  }

  /** A model that cannot be used (e.g. its files vanished after the startup check): the request cannot be served. */
  static RequestError of(ModelUnavailableException e) {
    return new RequestError(503, "model_unavailable", e.getMessage());
  }

  static RequestError badRequest(String code, String message) {
    return new RequestError(400, code, message);
  }

  static RequestError notFound(String code, String message) {
    return new RequestError(404, code, message);
  }
}
