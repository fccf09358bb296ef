package imgsearch.web;

/**
 * An indexed deep descriptor whose model could not be loaded when the server checked it, as the API and
 * the pages report it.
 *
 * @param name descriptor name, e.g. {@code clip}
 * @param textOnly true when only searching by words is unavailable (the image model loaded, the text
 *     encoder did not); false when the descriptor cannot be used at all
 * @param reason what failed and how to provide the files with {@code --model-dir}
 */
public record UnavailableDescriptor(String name, boolean textOnly, String reason) {

  /** One sentence saying what is unavailable, for the page and the log. */
  public String summary() {
    return textOnly ? name + " cannot search by words" : name + " is unavailable";
  }

  /** The refusal of a request that needs what is unavailable: 503, with the reason. */
  RequestError refusal() {
    return new RequestError(503, "descriptor_unavailable", summary() + ": " + reason);
  }
}
