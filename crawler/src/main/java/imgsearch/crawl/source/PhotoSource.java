package imgsearch.crawl.source;

import imgsearch.crawl.clean.Rejection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Offers candidate photos for a search term. */
public interface PhotoSource {

  /** flickr, flickr-feed or web: the manifest's {@code source} field. */
  String name();

  /**
   * Candidates for {@code term}, best first, fetched lazily as the iterator is advanced (so a crawl that has
   * its quota stops asking). The iterator throws {@link imgsearch.crawl.CrawlException} when the source fails
   * for good (retries exhausted, key refused).
   */
  Iterator<Candidate> candidates(String term);

  /** Why {@code candidate} must not be downloaded at all (licence, robots.txt), if so. */
  default Optional<Rejection> refusal(Candidate candidate) {
    return Optional.empty();
  }

  /** What a user should know about this source's results (limits, missing licence data), for the report. */
  default List<String> notes() {
    return List.of();
  }
}
