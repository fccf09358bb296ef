package imgsearch.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.crawl.clean.CleaningOptions;
import imgsearch.crawl.download.DownloadSettings;
import imgsearch.file.Sha256;
import imgsearch.index.Manifest;
import imgsearch.index.ManifestEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Settings and readers shared by the crawler tests. */
final class CrawlFixtures {

  static final ObjectMapper JSON = new ObjectMapper();

  private CrawlFixtures() {}

  /** Downloads with room for a busy machine; small enough a size limit to test it. */
  static DownloadSettings fastDownloads() {
    return DownloadSettings.defaults()
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10))
        .withMaxBytes(300_000)
        .withConcurrency(4, 2);
  }

  /**
   * For tests with handlers that never answer: each costs one read timeout, so it is short; one second
   * rather than less, so that a cold JVM does not time out on the requests that are answered.
   */
  static DownloadSettings shortTimeouts() {
    return fastDownloads().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(4));
  }

  static CleaningOptions smallImagesAllowed() {
    return CleaningOptions.defaults().withMinSize(40, 40);
  }

  static CrawlOptions.RetrySettings quickRetries() {
    return new CrawlOptions.RetrySettings(4, Duration.ofSeconds(1));
  }

  static Map<String, ManifestEntry> manifestById(Path root) {
    try {
      Map<String, ManifestEntry> byId = new LinkedHashMap<>();
      Manifest.read(root).values().forEach(e -> byId.put(e.id(), e));
      return byId;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> rejected(Path root) {
    return jsonLines(root.resolve("rejected.jsonl"));
  }

  static List<JsonNode> jsonLines(Path file) {
    try {
      List<JsonNode> out = new ArrayList<>();
      if (!Files.exists(file)) {
        return out;
      }
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last rejection reason recorded for each id. */
  static Map<String, String> reasonsById(Path root) {
    Map<String, String> m = new LinkedHashMap<>();
    for (JsonNode n : rejected(root)) {
      m.put(n.get("id").asText(), n.get("reason").asText());
    }
    return m;
  }

  static JsonNode report(Path root) {
    try {
      return JSON.readTree(root.resolve("crawl-report.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every image file under train/ and test/, relative to the root with forward slashes. */
  static Set<String> imageFiles(Path root) {
    Set<String> files = new TreeSet<>();
    for (String split : List.of("train", "test")) {
      Path dir = root.resolve(split);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** The manifest lists exactly the files on disk, with their true hashes, and nothing partial is around. */
  static void assertManifestMatchesFiles(Path root) {
    Map<String, ManifestEntry> manifest = manifestById(root);
    Set<String> listed = manifest.values().stream().map(ManifestEntry::file).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(listed, imageFiles(root), "manifest and files on disk differ");
    for (ManifestEntry e : manifest.values()) {
      assertEquals(sha256(read(root.resolve(e.file()))), e.sha256(), "sha256 of " + e.file());
      assertEquals(e.split() + "/" + e.label() + "/" + e.id() + ".jpg", e.file());
    }
    for (String f : imageFiles(root)) {
      assertTrue(f.endsWith(".jpg"), "only finished .jpg files in train/test: " + f);
    }
    try (Stream<Path> s = Files.walk(root.resolve(".crawl").resolve("partial"))) {
      assertFalse(s.anyMatch(Files::isRegularFile), "no partial files left after a run");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }
}
