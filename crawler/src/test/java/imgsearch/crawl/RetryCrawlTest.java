package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.manifestById;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.crawl.FakeFlickrServer.Photo;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image downloads that fail in passing are retried within the run and kept; ones that keep failing are
 * rejected with their attempts counted and tried again by the next run; permanent rejections are not
 * downloaded again; rejected.jsonl keeps one line per photo.
 */
class RetryCrawlTest {

  static final String KEY = "retry-test-key-1a2b3c4d5e6f";
  static final String TERM = "heron";
  static final String FLAKY_500 = "801";
  static final String RATE_LIMITED = "802";
  static final String RESET_ONCE = "803";
  static final String ALWAYS_500 = "804";
  static final String MISSING = "805";
  static final String NOT_AN_IMAGE = "806";
  static final String GOOD = "807";

  @TempDir
  Path dir;

  FakeFlickrServer server;
  FakeTime time = new FakeTime();
  final Map<String, String> imagePaths = new LinkedHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer(KEY);
    FakeFlickrServer.Responder image801 = image(801);
    server.failFirst(path(FLAKY_500), 2, 500, Map.of(), image801);
    server.failFirst(path(RATE_LIMITED), 1, 429, Map.of("Retry-After", "7"), image(802));
    imagePaths.put(RESET_ONCE, server.resettingUrl("/reset/" + RESET_ONCE + ".jpg", 1, "image/jpeg", jpeg(803)));
    server.status(path(ALWAYS_500), 500);
    server.status(path(MISSING), 404);
    server.serve(path(NOT_AN_IMAGE), "image/jpeg", TestImages.html());
    server.route(path(GOOD), image(807));
    int i = 0;
    for (String id : List.of(FLAKY_500, RATE_LIMITED, RESET_ONCE, ALWAYS_500, MISSING, NOT_AN_IMAGE, GOOD)) {
      server.addPhoto(new Photo(id, TERM, "7@N01", "Heron Fan", "Heron " + id, "4", "heron", "2021-01-01 00:00:00",
          1_600_000_000L + i++, path(id)));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  String path(String id) {
    return imagePaths.computeIfAbsent(id, k -> "/img/" + k + ".jpg");
  }

  int hits(String id) {
    String p = path(id);
    return server.hits(p.startsWith("http") ? p.substring(p.indexOf('/', "http://".length())) : p);
  }

  static byte[] jpeg(long seed) {
    return TestImages.jpeg(TestImages.photoLike(seed, 240, 180), 0.9f);
  }

  static FakeFlickrServer.Responder image(long seed) {
    byte[] bytes = jpeg(seed);
    return ex -> FakeFlickrServer.send(ex, 200, "image/jpeg", bytes);
  }

  CrawlOptions options(Path out) {
    return CrawlOptions.builder(List.of(TERM), out)
        .flickrApiKey(KEY)
        .flickrEndpoint(server.apiEndpoint())
        .perTerm(50)
        .apiCallsPerHour(3_600_000)
        .download(CrawlFixtures.fastDownloads())
        .cleaning(CrawlFixtures.smallImagesAllowed())
        .retry(CrawlFixtures.quickRetries()) // 4 tries, 1 s first backoff, on the fake clock
        .build();
  }

  CrawlReport crawl(Path out, long jitterSeed) throws IOException {
    return new Crawler(options(out), time, new Random(jitterSeed)).run(CrawlListener.NONE);
  }

  static Map<String, JsonNode> rejectedById(Path out) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode n : CrawlFixtures.rejected(out)) {
      assertNull(byId.put(n.get("id").asText(), n), "one line per photo in rejected.jsonl: " + n.get("id"));
    }
    return byId;
  }

  @Test
  void transientFailuresAreRetriedAndPermanentOnesAreNot() throws IOException {
    Path out = dir.resolve("data");
    CrawlReport first = crawl(out, 1);

    assertEquals(Set.of(FLAKY_500, RATE_LIMITED, RESET_ONCE, GOOD), manifestById(out).keySet(), "the flaky ones are kept");
    assertEquals(3, hits(FLAKY_500), "500, 500, then 200");
    assertEquals(2, hits(RATE_LIMITED), "429, then 200");
    assertEquals(2, hits(RESET_ONCE), "reset, then 200");
    assertEquals(4, hits(ALWAYS_500), "every one of the 4 attempts");
    assertEquals(1, hits(MISSING), "a 404 is not retried");
    assertEquals(1, hits(NOT_AN_IMAGE), "downloaded once, then found not to be an image");
    assertEquals(1, hits(GOOD));
    assertTrue(time.sleeps().contains(Duration.ofSeconds(7)), "Retry-After: 7 honoured: " + time.sleeps());

    Map<String, JsonNode> rejected = rejectedById(out);
    assertEquals(Set.of(ALWAYS_500, MISSING, NOT_AN_IMAGE), rejected.keySet());
    JsonNode always500 = rejected.get(ALWAYS_500);
    assertEquals("network-error", always500.get("reason").asText());
    assertEquals("HTTP 500 after 4 attempts", always500.get("detail").asText());
    assertEquals(4, always500.get("attempts").asInt());
    assertEquals("download-failed", rejected.get(MISSING).get("reason").asText());
    assertEquals("HTTP 404", rejected.get(MISSING).get("detail").asText());
    assertEquals(1, rejected.get(MISSING).get("attempts").asInt());
    assertEquals("not-an-image", rejected.get(NOT_AN_IMAGE).get("reason").asText());
    assertEquals(Map.of("network-error", 1, "download-failed", 1, "not-an-image", 1), first.totals().rejectedThisRun());
    assertFalse(first.nothingKeptOnlyTransientFailures());

    // The second run tries the transient failure again, and nothing that was settled.
    CrawlReport second = crawl(out, 2);
    assertEquals(8, hits(ALWAYS_500), "tried again, 4 attempts more");
    assertEquals(1, hits(MISSING), "a 404 is not requested again");
    assertEquals(1, hits(NOT_AN_IMAGE), "not an image: not requested again");
    assertEquals(3, hits(FLAKY_500), "kept: not downloaded again");
    assertEquals(2, hits(RATE_LIMITED));
    assertEquals(2, hits(RESET_ONCE));
    assertEquals(1, hits(GOOD));
    rejected = rejectedById(out);
    assertEquals(Set.of(ALWAYS_500, MISSING, NOT_AN_IMAGE), rejected.keySet(), "still one line per photo");
    assertEquals(4, rejected.get(ALWAYS_500).get("attempts").asInt(), "the latest outcome");
    assertEquals(Map.of("network-error", 1), second.totals().rejectedThisRun());
    assertTrue(second.nothingKeptOnlyTransientFailures(), "all this run tried failed for network reasons");

    // Once the server is fixed, a third run keeps it, and it is no longer listed as rejected.
    server.route(path(ALWAYS_500), image(804));
    CrawlReport third = crawl(out, 3);
    assertEquals(9, hits(ALWAYS_500));
    assertEquals(1, third.totals().keptThisRun());
    assertTrue(manifestById(out).containsKey(ALWAYS_500));
    assertEquals(Set.of(MISSING, NOT_AN_IMAGE), rejectedById(out).keySet());
    assertEquals(1, hits(MISSING));
    assertEquals(1, hits(NOT_AN_IMAGE));
    assertManifestMatchesFiles(out);
  }

  @Test
  void rejectedFileSurvivesAnInterruptedWriteAndIsCompacted() throws IOException {
    Path out = dir.resolve("data");
    crawl(out, 1);
    Path file = out.resolve("rejected.jsonl");
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    // What older versions and interrupted runs leave: a repeated line, a line for a photo kept since, a
    // cut-off last line (killed while appending), a half-written temporary file (killed while compacting).
    String repeated = lines.stream().filter(l -> l.contains("\"id\":\"" + MISSING + "\"")).findFirst().orElseThrow();
    String keptSince = "{\"id\":\"" + FLAKY_500 + "\",\"class\":\"" + TERM + "\",\"term\":\"" + TERM
        + "\",\"reason\":\"network-error\",\"detail\":\"HTTP 500\"}";
    Files.writeString(file, repeated + "\n" + keptSince + "\n{\"id\":\"999\",\"cla", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    Files.writeString(out.resolve("rejected.jsonl.tmp"), "{\"id\":\"half", StandardCharsets.UTF_8);

    crawl(out, 2);
    Map<String, JsonNode> rejected = rejectedById(out);
    assertEquals(Set.of(ALWAYS_500, MISSING, NOT_AN_IMAGE), rejected.keySet(), "nothing complete lost, nothing doubled");
    assertEquals("download-failed", rejected.get(MISSING).get("reason").asText());
    assertEquals(1, hits(MISSING), "still settled");
    assertEquals(3, hits(FLAKY_500), "still kept, not downloaded again");
    assertEquals(3, Files.readAllLines(file).size());
    assertFalse(Files.exists(out.resolve("rejected.jsonl.tmp")), "the temporary file was replaced and moved into place");
  }
}
