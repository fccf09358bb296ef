package imgsearch.crawl.download;

import java.time.Duration;

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
  private final int attempts;
  private final Duration retryAfter;

  public DownloadException(Kind kind, int status, String message) {
    this(kind, status, message, 1, null);
  }

  /** A refusal by the server; {@code retryAfter} is its Retry-After header, or null. */
  public DownloadException(Kind kind, int status, String message, Duration retryAfter) {
    this(kind, status, message, 1, retryAfter);
  }

  private DownloadException(Kind kind, int status, String message, int attempts, Duration retryAfter) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.attempts = attempts;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status for {@link Kind#HTTP_STATUS}, else 0. */
  public int status() {
    return status;
  }

  /** Requests made before giving up (1 when the failure was not retried). */
  public int attempts() {
    return attempts;
  }

  /** How long the server asked to wait (its Retry-After header), or null when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The same failure, after {@code n} attempts in all; the message says so. */
  public DownloadException afterAttempts(int n) {
    DownloadException e = new DownloadException(kind, status, getMessage() + " after " + n + " attempts", n, retryAfter);
    e.initCause(this);
    return e;
  }

  /**
   * Worth trying again: a timeout, a broken connection, a server error (5xx), a request timeout (408) or a
   * rate limit (429). Everything else (404, 403, 410, too large, bad URL, ...) will answer the same again.
   */
  public boolean transientFailure() {
    return kind == Kind.TIMEOUT || kind == Kind.NETWORK
        || (kind == Kind.HTTP_STATUS && (status >= 500 || status == 429 || status == 408));
  }
}
