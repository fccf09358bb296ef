package imgsearch.descriptor;

/**
 * A descriptor cannot work at all: what it needs (a deep model's files, its runtime) cannot be had or used.
 * Not one image's fault, so a run stops at the first one instead of failing every image. The message is
 * written for the user: what failed and what to do. Deep descriptors throw the subclass
 * {@code imgsearch.model.ModelUnavailableException} (module {@code deep}).
 */
public class DescriptorUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DescriptorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
