package imgsearch.search;

/**
 * A search that cannot be run as asked, with a reason the caller maps to its own answer (the web app to an
 * HTTP status and code, the command line to an exit code) and a message written for the user that says
 * what to do. It is an {@link IllegalArgumentException} so that callers of the search API that checked
 * arguments before keep working; but only this type means "the user asked for something wrong": any
 * other {@code IllegalArgumentException} from a search is a bug.
 */
public class InvalidQueryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the query was refused. */
  public enum Reason {
    /** The descriptor named is not in the index. */
    UNKNOWN_DESCRIPTOR,
    /** The index holds vectors of a descriptor version or model files this program cannot compute. */
    STALE_DESCRIPTOR,
    /** Words were asked for, and no usable descriptor of the index can embed them. */
    TEXT_NOT_SUPPORTED,
    /** The metric named is not a metric at all (see {@link imgsearch.descriptor.Metric}). */
    UNKNOWN_METRIC,
    /** The metric is not one the descriptor's vectors were stored for. */
    UNAVAILABLE_METRIC,
    /** The number of results is out of range. */
    BAD_K,
    /** No indexed image has this id (or it has no vector of the descriptor). */
    UNKNOWN_ID,
    /** The index has no searchable descriptor yet (nothing indexed). */
    EMPTY_INDEX
  }

  private final Reason reason;

  public InvalidQueryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** A value from a request, shortened to 40 characters, for a message that repeats it. */
  public static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
