package imgsearch.crawl.clean;

/**
 * A candidate that was dropped.
 *
 * @param reason why
 * @param detail a short explanation (HTTP status, measured size, ...)
 * @param duplicateOf the id of the kept image this one duplicates, for (near-)duplicates; else null
 * @param attempts download tries made, for a failed download; else null
 */
public record Rejection(RejectReason reason, String detail, String duplicateOf, Integer attempts) {

  public Rejection(RejectReason reason, String detail, String duplicateOf) {
    this(reason, detail, duplicateOf, null);
  }

  public static Rejection of(RejectReason reason, String detail) {
    return new Rejection(reason, detail, null, null);
  }

  /** A download that failed after {@code attempts} tries. */
  public static Rejection downloadFailed(RejectReason reason, String detail, int attempts) {
    return new Rejection(reason, detail, null, attempts);
  }
}
