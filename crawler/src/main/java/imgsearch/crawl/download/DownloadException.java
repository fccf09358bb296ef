package imgsearch.crawl.download;

/** A download that did not give a usable body. */
public final class DownloadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarse enough to count. */
  public enum Kind {
    /** The server answered with a status that is not 2xx (after redirects). */
    HTTP_STATUS,
    /** No connection, no headers or no complete body in time. */
    TIMEOUT,
    /** The body is larger than allowed. */
    TOO_LARGE,
    /** More redirects than allowed, or a redirect loop. */
    TOO_MANY_REDIRECTS,
    /** The connection failed or broke. */
    NETWORK,
    /** The URL is not an http(s) URL. */
    BAD_URL
  }

  private final Kind kind;
  private final int status;

  public DownloadException(Kind kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status for {@link Kind#HTTP_STATUS}, else 0. */
  public int status() {
    return status;
  }

  /** Worth trying again later: a timeout, a broken connection or a server error. */
  public boolean transientFailure() {
    return kind == Kind.TIMEOUT || kind == Kind.NETWORK || (kind == Kind.HTTP_STATUS && (status >= 500 || status == 429));
  }
}
