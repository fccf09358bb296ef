package imgsearch.cli;

/**
 * A failure caused by what the user asked for or gave (arguments, files, folders); {@link Main} prints it as
 * one line without a stack trace and exits with 2 ({@link #usage}) or 1 ({@link #failure}).
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean usage;

  private UserError(String message, boolean usage, Throwable cause) {
    super(message, cause);
    this.usage = usage;
  }

  private UserError(String message, boolean usage) {
    this(message, usage, null);
  }

  /** Wrong arguments: exit code 2. */
  public static UserError usage(String message) {
    return new UserError(message, true);
  }

  /** The request was understood but cannot be done: exit code 1. */
  public static UserError failure(String message) {
    return new UserError(message, false);
  }

  /** As {@link #failure(String)}, keeping the cause for IMGSEARCH_DEBUG=1. */
  public static UserError failure(String message, Throwable cause) {
    return new UserError(message, false, cause);
  }

  boolean usage() {
    return usage;
  }
}
