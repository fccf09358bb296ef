package imgsearch.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON-lines files ({@code .jsonl}: one JSON object per line) that are appended to while a program
 * runs, so that a kill can leave the last line half-written: such a line, like a blank one, is skipped.
 */
public final class JsonLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /** The objects of the file in order, lines that do not parse left out; empty when there is no such file. */
  public static <T> List<T> read(Path file, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readValue(line, type));
        } catch (JsonProcessingException cutShort) {
          // the last line of an interrupted writer: the object is simply not there
        }
      }
    }
    return out;
  }
}
