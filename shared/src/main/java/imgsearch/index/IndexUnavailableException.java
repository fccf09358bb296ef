package imgsearch.index;

import java.io.IOException;

/**
 * An index that cannot be opened as asked: not created yet, locked by another writer, or unreadable.
 * The message says what to do.
 */
public class IndexUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public IndexUnavailableException(String message) {
    super(message);
  }

  public IndexUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
