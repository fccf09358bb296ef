package imgsearch.crawl.clean;

/**
 * Why a candidate photo was not kept; {@link #code()} is what rejected.jsonl and the report show.
 * {@code download-failed} is a refusal by the server (4xx) or an unusable URL; {@code network-error} and
 * {@code timeout} may pass, so a later run tries those candidates again.
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
  private final boolean retryLater;

  RejectReason(String code, boolean retryLater) {
    this.code = code;
    this.retryLater = retryLater;
  }

  /** Lower-case, dashed name, e.g. {@code near-duplicate}. */
  public String code() {
    return code;
  }

  /** A failure that may go away (network, timeout): a later run tries the candidate again. */
  public boolean retryLater() {
    return retryLater;
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
