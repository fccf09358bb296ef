package imgsearch.web;

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

  static RequestError badRequest(String code, String message) {
    return new RequestError(400, code, message);
  }

  static RequestError notFound(String code, String message) {
    return new RequestError(404, code, message);
  }
}
