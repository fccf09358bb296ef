package imgsearch.crawl.clean;

/**
 * A candidate that was dropped.
 *
 * @param reason why
 * @param detail a short explanation (HTTP status, measured size, ...)
 * @param duplicateOf the id of the kept image this one duplicates, for (near-)duplicates; else null
 */
public record Rejection(RejectReason reason, String detail, String duplicateOf) {

  public static Rejection of(RejectReason reason, String detail) {
    return new Rejection(reason, detail, null);
  }
}
