package imgsearch.crawl;

/**
 * A crawl could not go on for a reason the user can act on (a refused API key, an unreachable endpoint, an
 * unwritable output folder). The message is one clear sentence and never contains a secret.
 */
public class CrawlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CrawlException(String message) {
    super(message);
  }

  public CrawlException(String message, Throwable cause) {
    super(message, cause);
  }
}
