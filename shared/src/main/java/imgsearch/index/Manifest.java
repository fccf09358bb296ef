package imgsearch.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.file.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code manifest.jsonl}, one JSON object ({@link ManifestEntry}) per line. Lines that
 * cannot be parsed (e.g. the last, half-written line after a crash) are skipped.
 */
public final class Manifest {

  /** The file name at a collection's root. */
  public static final String FILE_NAME = "manifest.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Manifest() {}

  /** Entries of the manifest at {@code root}, keyed by their {@code file}; empty when there is none. */
  public static Map<String, ManifestEntry> read(Path root) throws IOException {
    Map<String, ManifestEntry> entries = new LinkedHashMap<>();
    for (ManifestEntry e : JsonLines.read(root.resolve(FILE_NAME), ManifestEntry.class)) {
      if (e.file() != null) {
        entries.put(e.file(), e);
      }
    }
    return entries;
  }

  /** One entry as a single JSON line (no trailing newline). */
  public static String toLine(ManifestEntry entry) {
    try {
      return JSON.writeValueAsString(entry);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
