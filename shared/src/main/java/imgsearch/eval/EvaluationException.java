package imgsearch.eval;

/**
 * A collection that cannot be evaluated as it is, with a reason and a message that says how to lay it
 * out. An {@link IllegalStateException}, as before, for callers that caught that; only this type means
 * "the collection is not suited", any other {@code IllegalStateException} of an evaluation is a bug.
 */
public class EvaluationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** What the collection lacks. */
  public enum Reason {
    /** No train or no test images: the collection has no train/test split. */
    NO_SPLIT,
    /** No test image has a class that also has train images. */
    NO_SHARED_CLASS
  }

  private final Reason reason;

  public EvaluationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
