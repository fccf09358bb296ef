package imgsearch.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    Path file = root.resolve(FILE_NAME);
    Map<String, ManifestEntry> entries = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return entries;
    }
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          ManifestEntry e = JSON.readValue(line, ManifestEntry.class);
          if (e.file() != null) {
            entries.put(e.file(), e);
          }
        } catch (JsonProcessingException partialLine) {
          // a line cut short by an interrupted writer: the entry is simply not there
        }
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
