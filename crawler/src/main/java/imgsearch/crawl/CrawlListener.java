package imgsearch.crawl;

/** Hears about a crawl's progress (progress bars, logs). Called from the crawl's thread only. */
public interface CrawlListener {

  /** Listens to nothing. */
  CrawlListener NONE = new CrawlListener() {};

  /** A term starts; {@code alreadyKept} images of its class are in the collection. */
  default void termStarted(String term, String label, int target, int alreadyKept) {}

  /** A candidate of the term was kept or dropped; {@code kept} images of its class are now in the collection. */
  default void candidateDone(String term, int kept, int target, int rejectedThisRun) {}

  /** A term is done. */
  default void termFinished(CrawlReport.TermReport report) {}

  /** Something a user should see (a term that failed, a repaired collection). */
  default void warning(String message) {}
}
