package imgsearch.cli;

import imgsearch.index.ImageIndex;
import imgsearch.index.IndexUnavailableException;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.index.solr.SolrIndexLocation;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import picocli.CommandLine.Option;

/**
 * The {@code --index} option shared by every command that reads or writes an index: a folder for the
 * embedded Lucene index, or {@code solr://HOST:PORT/COLLECTION} for a SolrCloud cluster. Without it the
 * index lives in {@code $IMGSEARCH_HOME/index}, or {@code $XDG_DATA_HOME/imgsearch/index}, or
 * {@code ~/.local/share/imgsearch/index}, so that {@code index DIR} then {@code search --image x.jpg}
 * just work.
 */
public final class IndexLocation {

  @Option(names = "--index", paramLabel = "PATH",
      description = {"Index folder (default: $IMGSEARCH_HOME/index, else ~/.local/share/imgsearch/index), "
              + "or solr://HOST:PORT[,HOST:PORT]/COLLECTION for a SolrCloud cluster (docs/solrcloud.md)."})
  String index;

  /** Whether the index is a SolrCloud collection. */
  public boolean isSolr() {
    return index != null && SolrIndexLocation.isSolrUri(index);
  }

  /** Opens the index for writing, creating it when missing. */
  public ImageIndex openForWriting() throws IOException {
    if (isSolr()) {
      checkSolrUri();
      return SolrIndexLocation.open(index);
    }
    try {
      return LuceneImageIndex.open(path());
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      throw unreadable(e);
    }
  }

  /** Opens an existing index for searching; a clear error when there is none yet. */
  public ImageIndex openForReading() throws IOException {
    if (isSolr()) {
      checkSolrUri();
      return SolrIndexLocation.openExisting(index);
    }
    try {
      return LuceneImageIndex.openReadOnly(path());
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      throw unreadable(e);
    }
  }

  /** A malformed {@code solr://} URI is said as what it is, before anything is opened. */
  private void checkSolrUri() {
    try {
      SolrIndexLocation.parse(index);
    } catch (IllegalArgumentException e) {
      throw UserError.failure(e.getMessage());
    }
  }

  /** Lucene's own message names internals ("checksum status indeterminate"); say what it means first. */
  private IndexUnavailableException unreadable(IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int resource = detail.indexOf(" (resource=");
    detail = resource > 0 ? detail.substring(0, resource) : detail;
    return new IndexUnavailableException("cannot read the index at " + path() + ": its files are damaged or were"
        + " written by another version of imgsearch (" + detail + "). Build a new one with"
        + " 'imgsearch index DIR --index OTHER_FOLDER'", e);
  }

  /** What to show the user: the folder or the Solr URI. */
  public String describe() {
    return isSolr() ? index : path().toString();
  }

  /**
   * A local folder for files that belong with the index (evaluation reports, thumbnails): the index
   * folder itself, or for a Solr collection a folder named after it beside the default index.
   */
  public Path path() {
    if (isSolr()) {
      return defaultPath().resolveSibling("solr-" + index.replaceAll("[^A-Za-z0-9._-]+", "_"));
    }
    return index != null ? Path.of(index).toAbsolutePath().normalize() : defaultPath();
  }

  static Path defaultPath() {
    String home = System.getenv("IMGSEARCH_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "index").toAbsolutePath();
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("imgsearch").resolve("index").toAbsolutePath();
  }
}
