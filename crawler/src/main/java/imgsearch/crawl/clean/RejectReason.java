package imgsearch.crawl.clean;

/**
 * Why a candidate photo was not kept; {@link #code()} is what rejected.jsonl and the report show.
 * {@code download-failed} is a refusal by the server (404, 403, 410, other 4xx) or an unusable URL;
 * {@code network-error} (a broken or refused connection, a 5xx, a 408 or 429, each after the download's own
 * retries) and {@code timeout} may pass, so a later run tries those candidates again ({@link #isTransient()}).
 */
public enum RejectReason {
  DOWNLOAD_FAILED("download-failed", false),
  NETWORK_ERROR("network-error", true),
  TIMEOUT("timeout", true),
  TOO_MANY_REDIRECTS("too-many-redirects", false),
  TOO_LARGE("too-large", false),
  NOT_AN_IMAGE("not-an-image", false),
  TRUNCATED("truncated", false),
  UNDECODABLE("undecodable", false),
  TOO_MANY_PIXELS("too-many-pixels", false),
  TOO_SMALL("too-small", false),
  EXTREME_ASPECT_RATIO("extreme-aspect-ratio", false),
  BLANK("blank", false),
  DUPLICATE("duplicate", false),
  NEAR_DUPLICATE("near-duplicate", false),
  LICENSE_NOT_ALLOWED("license-not-allowed", false),
  ROBOTS_DISALLOWED("robots-disallowed", false),
  NO_IMAGE_URL("no-image-url", false);

  private final String code;
  private final boolean transientFailure;

  RejectReason(String code, boolean transientFailure) {
    this.code = code;
    this.transientFailure = transientFailure;
  }

  /** Lower-case, dashed name, e.g. {@code near-duplicate}. */
  public String code() {
    return code;
  }

  /**
   * A failure that may go away by itself (network, timeout): a later run tries the candidate again. Every other
   * reason is for good: the bytes, the server's answer or the rules would be the same next time.
   */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The reason whose code is {@code code}, or null. */
  public static RejectReason fromCode(String code) {
    for (RejectReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    return null;
  }
}
