package imgsearch.web;

/**
 * A refused request as a page shows it.
 *
 * @param status HTTP status
 * @param code stable error code
 * @param message what was wrong and what to do
 */
public record ErrorView(int status, String code, String message) {

  static ErrorView of(RequestError e) {
    return new ErrorView(e.status(), e.code(), e.getMessage());
  }

  /** A short heading for the error box. */
  public String title() {
    if (code.equals("descriptor_unavailable") || code.equals("model_unavailable")) {
      return "Model unavailable";
    }
    return switch (status) {
      case 404 -> "Not found";
      case 413 -> "Too large";
      case 415 -> "Not an image";
      case 422 -> "Damaged image";
      case 503 -> "Not ready";
      default -> status >= 500 ? "Something went wrong" : "Cannot search with that";
    };
  }
}
