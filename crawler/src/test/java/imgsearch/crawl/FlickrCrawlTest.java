package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.manifestById;
import static imgsearch.crawl.CrawlFixtures.read;
import static imgsearch.crawl.CrawlFixtures.reasonsById;
import static imgsearch.crawl.CrawlFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.crawl.FakeFlickrServer.Photo;
import imgsearch.crawl.FakeFlickrServer.Trouble;
import imgsearch.crawl.clean.JpegInfo;
import imgsearch.index.ManifestEntry;
import imgsearch.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flickr API source end to end, against the fake server, with every kind of bad candidate. */
class FlickrCrawlTest {

  static final String KEY = "f00dcafe5ecret4e1c0ffee0ddba11ab";
  static final String OWNER = "12345678@N01";

  @TempDir
  Path dir;

  FakeFlickrServer server;
  FakeTime time = new FakeTime();

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer(KEY);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  CrawlOptions.Builder options(List<String> terms, Path out) {
    return CrawlOptions.builder(terms, out)
        .flickrApiKey(KEY)
        .flickrEndpoint(server.apiEndpoint())
        .download(CrawlFixtures.shortTimeouts())
        .cleaning(CrawlFixtures.smallImagesAllowed())
        .retry(CrawlFixtures.quickRetries())
        .apiCallsPerHour(3_600_000);
  }

  private int next = 0;

  /** Adds a photo for {@code text} whose image is served at /img/ID.jpg by {@code responder}. */
  void photo(String text, String id, String license, FakeFlickrServer.Responder responder) {
    String path = "/img/" + id + ".jpg";
    server.route(path, responder);
    server.addPhoto(new Photo(id, text, OWNER, "Fox Fan", "Photo " + id, license, "red fox wildlife",
        "2020-05-01 10:00:00", 1_600_000_000L + next++ * 86_400L, path));
  }

  void jpegPhoto(String text, String id, byte[] bytes) {
    photo(text, id, "4", ex -> FakeFlickrServer.send(ex, 200, "image/jpeg", bytes));
  }

  @Test
  void keepsGoodPhotosAndRecordsEveryRejectionReason() throws IOException {
    byte[] fox1 = TestImages.jpeg(TestImages.photoLike(1, 320, 240), 0.9f);
    String t = "red fox";
    jpegPhoto(t, "1001", fox1);
    jpegPhoto(t, "1002", TestImages.jpeg(TestImages.photoLike(2, 320, 240), 0.9f));
    photo(t, "1003", "4", ex -> FakeFlickrServer.send(ex, 404, "text/html", TestImages.html()));
    jpegPhoto(t, "1004", TestImages.html()); // HTML served as image/jpeg
    byte[] full5 = TestImages.jpeg(TestImages.photoLike(5, 320, 240), 0.9f);
    jpegPhoto(t, "1005", TestImages.truncated(full5, full5.length / 2));
    jpegPhoto(t, "1006", TestImages.cmykJpeg());
    photo(t, "1007", "5", ex -> FakeFlickrServer.send(ex, 200, "image/png",
        TestImages.pngWithAlpha(TestImages.photoLike(7, 320, 240), 128)));
    jpegPhoto(t, "1008", TestImages.jpeg(TestImages.photoLike(8, 16, 16), 0.9f));
    jpegPhoto(t, "1009", TestImages.jpeg(TestImages.solid(320, 240, 0x808080), 0.9f));
    jpegPhoto(t, "1010", fox1.clone()); // the same photo under another id
    jpegPhoto(t, "1011", TestImages.jpeg(TestImages.photoLike(1, 320, 240), 0.6f)); // recompressed copy
    byte[] huge = new byte[400_000];
    System.arraycopy(fox1, 0, huge, 0, fox1.length);
    jpegPhoto(t, "1012", huge);
    photo(t, "1013", "4", ex -> {
      ex.getResponseHeaders().add("Location", "/img/loop-b");
      ex.sendResponseHeaders(302, -1);
    });
    server.redirect("/img/loop-b", "/img/1013.jpg");
    photo(t, "1014", "4", server.neverAnswering());
    jpegPhoto(t, "1015", TestImages.jpeg(TestImages.photoLike(15, 800, 100), 0.9f));
    photo(t, "1016", "0", ex -> FakeFlickrServer.send(ex, 200, "image/jpeg", TestImages.jpeg(TestImages.photoLike(16, 320, 240), 0.9f)));
    jpegPhoto(t, "1017", TestImages.jpegWithOrientation(TestImages.photoLike(17, 320, 240), 6));
    photo(t, "1018", "4", ex -> {
      ex.getResponseHeaders().add("Location", server.url("/cdn/1018.jpg"));
      ex.sendResponseHeaders(301, -1);
    });
    byte[] fox18 = TestImages.jpeg(TestImages.photoLike(18, 320, 240), 0.9f);
    server.serve("/cdn/1018.jpg", "application/octet-stream", fox18);
    photo(t, "1019", "4", ex -> FakeFlickrServer.send(ex, 500, "text/html", TestImages.html()));
    server.maxPerPage(4);
    // The licence table call fails twice (a 500, then no answer at all) before it works.
    server.troubleNextApiCalls(Trouble.SERVER_ERROR, Trouble.NEVER_ANSWER);

    Path out = dir.resolve("data");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    CrawlReport report = captureStdStreams(console, () ->
        new Crawler(options(List.of(t), out).perTerm(50).build(), time)
            .run(ConsoleProgress.plain(new PrintStream(console, true, StandardCharsets.UTF_8)::println)));

    // Kept files
    Map<String, ManifestEntry> manifest = manifestById(out);
    assertEquals(Set.of("1001", "1002", "1006", "1007", "1017", "1018"), manifest.keySet());
    assertManifestMatchesFiles(out);
    for (ManifestEntry e : manifest.values()) {
      byte[] stored = read(out.resolve(e.file()));
      JpegInfo info = JpegInfo.read(stored).orElseThrow();
      assertEquals(3, info.components(), e.id() + " is stored as RGB JPEG");
      assertTrue(info.orientation() <= 1, e.id() + " is stored upright");
    }
    assertEquals(sha256(fox1), manifest.get("1001").sha256(), "a clean RGB JPEG is kept byte for byte");
    assertFalse(Arrays.equals(TestImages.cmykJpeg(), read(out.resolve(manifest.get("1006").file()))), "CMYK is re-encoded");
    assertEquals(240, manifest.get("1017").width(), "EXIF orientation 6 applied");
    assertEquals(320, manifest.get("1017").height());
    assertEquals(64, manifest.get("1006").width());

    // Attribution in the manifest
    ManifestEntry fox = manifest.get("1001");
    assertEquals("red-fox", fox.label());
    assertEquals("flickr", fox.attribution().source());
    assertEquals("Photo 1001", fox.attribution().title());
    assertEquals("Fox Fan", fox.attribution().owner());
    assertEquals("https://www.flickr.com/photos/" + OWNER + "/", fox.attribution().ownerUrl());
    assertEquals("https://www.flickr.com/photos/" + OWNER + "/1001/", fox.attribution().pageUrl());
    assertEquals(server.url("/img/1001.jpg"), fox.attribution().imageUrl());
    assertEquals("4", fox.attribution().licenseId());
    assertEquals("Attribution License", fox.attribution().licenseName());
    assertEquals("https://creativecommons.org/licenses/by/2.0/", fox.attribution().licenseUrl());
    assertEquals(List.of("red", "fox", "wildlife"), fox.attribution().tags());
    assertEquals("2020-05-01 10:00:00", fox.attribution().dateTaken());
    assertEquals(320, fox.width());
    assertEquals(240, fox.height());
    assertEquals("Attribution-ShareAlike License", manifest.get("1007").attribution().licenseName());
    assertEquals(server.url("/img/1018.jpg"), manifest.get("1018").attribution().imageUrl(), "the URL asked for, not the redirect");

    // Every rejection, with its reason
    Map<String, String> reasons = reasonsById(out);
    assertEquals(Map.ofEntries(
        Map.entry("1003", "download-failed"),
        Map.entry("1004", "not-an-image"),
        Map.entry("1005", "truncated"),
        Map.entry("1008", "too-small"),
        Map.entry("1009", "blank"),
        Map.entry("1010", "duplicate"),
        Map.entry("1011", "near-duplicate"),
        Map.entry("1012", "too-large"),
        Map.entry("1013", "too-many-redirects"),
        Map.entry("1014", "timeout"),
        Map.entry("1015", "extreme-aspect-ratio"),
        Map.entry("1016", "license-not-allowed"),
        Map.entry("1019", "network-error")), reasons);
    for (JsonNode r : CrawlFixtures.rejected(out)) {
      String id = r.get("id").asText();
      assertEquals("red-fox", r.get("class").asText());
      assertEquals("red fox", r.get("term").asText());
      assertFalse(r.get("detail").asText().isBlank(), "a detail for " + id);
      if (id.equals("1010") || id.equals("1011")) {
        assertEquals("1001", r.get("duplicate_of").asText(), id + " duplicates the first keeper");
      } else {
        assertNull(r.get("duplicate_of"));
      }
    }
    assertEquals(0, server.hits("/img/1016.jpg"), "a disallowed licence is never downloaded");

    // The API was used as Flickr wants it
    List<Map<String, String>> searches = server.searchCalls();
    assertEquals(List.of("1", "2", "3", "4", "5"), searches.stream().map(q -> q.get("page")).toList(), "19 photos at 4 a page");
    Map<String, String> q = searches.get(0);
    assertEquals("red fox", q.get("text"));
    assertEquals("photos", q.get("media"));
    assertEquals("1", q.get("safe_search"));
    assertEquals("relevance", q.get("sort"));
    assertEquals(new TreeSet<>(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")),
        new TreeSet<>(Arrays.asList(q.get("license").split(","))), "every licence but all-rights-reserved");
    assertTrue(Arrays.asList(q.get("extras").split(",")).containsAll(
        List.of("url_l", "url_c", "url_z", "url_o", "license", "owner_name", "date_taken", "tags")));
    assertEquals(3, server.apiCalls().stream().filter(c -> "flickr.photos.licenses.getInfo".equals(c.get("method"))).count(),
        "the licence table was retried after a 500 and a timeout");
    assertTrue(time.sleeps().containsAll(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))), "backoff doubled: " + time.sleeps());

    // The report
    JsonNode json = CrawlFixtures.report(out);
    assertEquals("flickr", json.get("source").asText());
    JsonNode term = json.get("terms").get(0);
    assertEquals(6, term.get("kept").asInt());
    assertEquals(6, term.get("kept_this_run").asInt());
    assertEquals(term.get("kept").asInt(), term.get("train").asInt() + term.get("test").asInt());
    assertTrue(term.get("test").asInt() >= 1, "at least one test image");
    for (String reason : reasons.values()) {
      assertTrue(term.get("rejected").get(reason).asInt() >= 1, reason + " counted");
    }
    assertEquals(2, term.get("rejected").get("duplicate").asInt() + term.get("rejected").get("near-duplicate").asInt());
    assertEquals(50, json.get("parameters").get("per_term").asInt());
    assertEquals(42, json.get("parameters").get("seed").asInt());
    assertEquals(0.2, json.get("parameters").get("test_ratio").asDouble());
    assertEquals("Attribution License", json.get("parameters").get("license_names").get("4").asText());
    assertEquals(report.apiCalls(), json.get("api_calls").asLong());
    assertTrue(report.apiCalls() >= 8);

    // The key went to the server and nowhere else
    assertTrue(server.apiCalls().stream().allMatch(c -> KEY.equals(c.get("api_key"))));
    assertKeyNowhere(out, console.toString(StandardCharsets.UTF_8), report.toString());
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("red fox: 6/50 kept"), console.toString(StandardCharsets.UTF_8));
  }

  @Test
  void duplicatesAcrossTermsGoToTheFirstKeeper() throws IOException {
    byte[] boat = TestImages.jpeg(TestImages.photoLike(40, 320, 240), 0.9f);
    jpegPhoto("sailing boat", "2001", boat);
    jpegPhoto("sailing boat", "2002", TestImages.jpeg(TestImages.photoLike(41, 320, 240), 0.9f));
    jpegPhoto("lighthouse", "3001", boat.clone()); // same bytes, other id, other term
    jpegPhoto("lighthouse", "3002", TestImages.jpeg(TestImages.photoLike(40, 320, 240), 0.7f)); // near copy
    server.addPhoto(new Photo("2002", "lighthouse", OWNER, "Fox Fan", "Photo 2002", "4", "", "2020-05-01 10:00:00",
        1_600_000_000L, "/img/2002.jpg")); // the very same Flickr photo found by both terms
    jpegPhoto("lighthouse", "3003", TestImages.jpeg(TestImages.photoLike(43, 320, 240), 0.9f));

    Path out = dir.resolve("data");
    new Crawler(options(List.of("sailing boat", "lighthouse"), out).perTerm(10).build(), time).run(CrawlListener.NONE);

    Map<String, ManifestEntry> manifest = manifestById(out);
    assertEquals(Set.of("2001", "2002", "3003"), manifest.keySet());
    assertEquals("sailing-boat", manifest.get("2001").label());
    assertEquals("lighthouse", manifest.get("3003").label());
    Map<String, JsonNode> rejected = new java.util.HashMap<>();
    CrawlFixtures.rejected(out).forEach(n -> rejected.put(n.get("id").asText(), n));
    assertEquals("duplicate", rejected.get("3001").get("reason").asText());
    assertEquals("2001", rejected.get("3001").get("duplicate_of").asText());
    assertEquals("near-duplicate", rejected.get("3002").get("reason").asText());
    assertEquals("2001", rejected.get("3002").get("duplicate_of").asText());
    assertEquals("duplicate", rejected.get("2002").get("reason").asText());
    assertEquals("lighthouse", rejected.get("2002").get("class").asText());
    assertEquals(1, server.hits("/img/2002.jpg"), "a photo kept for one term is not downloaded again for another");
    assertManifestMatchesFiles(out);
  }

  @Test
  void apiCallsAreSpacedBelowTheHourlyLimit() throws IOException {
    for (int i = 0; i < 12; i++) {
      jpegPhoto("kestrel", "50" + i, TestImages.jpeg(TestImages.photoLike(500 + i, 200, 150), 0.9f));
    }
    server.maxPerPage(2);
    List<Long> callTimes = new ArrayList<>();
    server.onApiCall(() -> {
      synchronized (callTimes) {
        callTimes.add(time.nanoTime());
      }
    });
    Path out = dir.resolve("data");
    Crawler crawler = new Crawler(options(List.of("kestrel"), out).perTerm(12).apiCallsPerHour(3600).build(), time);
    crawler.run(CrawlListener.NONE);

    assertEquals(7, callTimes.size(), "licences + 6 pages of 2");
    assertEquals(7, crawler.apiCalls());
    for (int i = 1; i < callTimes.size(); i++) {
      long gap = callTimes.get(i) - callTimes.get(i - 1);
      assertTrue(gap >= Duration.ofSeconds(1).toNanos(), "3600 calls an hour means one a second at most; gap " + gap);
    }
    assertEquals(12, manifestById(out).size());
  }

  @Test
  void searchesPastTheResultCapAreSplitByUploadDate() throws IOException {
    for (int i = 0; i < 10; i++) {
      String id = "70" + i;
      jpegPhoto("harbour", id, TestImages.jpeg(TestImages.photoLike(700 + i, 200, 150), 0.9f));
    }
    server.resultCap(4);
    server.maxPerPage(2);
    Path out = dir.resolve("data");
    new Crawler(options(List.of("harbour"), out).perTerm(10).flickrPerPage(2).flickrResultCap(4).build(), time)
        .run(CrawlListener.NONE);

    assertEquals(10, manifestById(out).size(), "all 10 photos reached although one query stops at 4");
    assertTrue(server.searchCalls().stream().anyMatch(c -> c.containsKey("min_upload_date") && c.containsKey("max_upload_date")),
        "later queries are limited to upload-date windows");
  }

  @Test
  void aRefusedKeyIsAClearErrorWithoutTheKey() {
    Path out = dir.resolve("data");
    String wrongKey = "0123456789wrongwrongwrong";
    CrawlException e = assertThrows(CrawlException.class, () ->
        new Crawler(options(List.of("owl"), out).flickrApiKey(wrongKey).build(), time).run(CrawlListener.NONE));
    assertTrue(e.getMessage().contains("Invalid API Key"), e.getMessage());
    assertTrue(e.getMessage().contains("FLICKR_API_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains(wrongKey));
  }

  @Test
  void onlyTheLicencesAskedForAreSearchedAndUnknownOnesAreRefused() throws IOException {
    jpegPhoto("owl", "4001", TestImages.jpeg(TestImages.photoLike(4001, 200, 150), 0.9f));
    photo("owl", "4002", "5", ex -> FakeFlickrServer.send(ex, 200, "image/jpeg",
        TestImages.jpeg(TestImages.photoLike(4002, 200, 150), 0.9f)));
    Path out = dir.resolve("data");
    new Crawler(options(List.of("owl"), out).licenses(Set.of("9", "4", "10")).build(), time).run(CrawlListener.NONE);
    assertEquals("4,9,10", server.searchCalls().get(0).get("license"));
    assertEquals(Set.of("4001"), manifestById(out).keySet());
    assertEquals("license-not-allowed", reasonsById(out).get("4002"));

    CrawlException e = assertThrows(CrawlException.class, () ->
        new Crawler(options(List.of("owl"), out).licenses(Set.of("4", "99")).build(), time).run(CrawlListener.NONE));
    assertTrue(e.getMessage().contains("unknown Flickr licence id(s) [99]"), e.getMessage());
    assertTrue(e.getMessage().contains("4 Attribution License"), e.getMessage());
  }

  @Test
  void anUnreachableApiFailsAfterItsRetries() {
    server.troubleNextApiCalls(Trouble.SERVER_ERROR, Trouble.SERVER_ERROR, Trouble.SERVER_ERROR, Trouble.SERVER_ERROR);
    Path out = dir.resolve("data");
    CrawlException e = assertThrows(CrawlException.class, () ->
        new Crawler(options(List.of("owl"), out).build(), time).run(CrawlListener.NONE));
    assertTrue(e.getMessage().contains("could not reach the Flickr API"), e.getMessage());
    assertTrue(e.getMessage().contains("4 tries"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
    assertEquals(4, server.apiCalls().size());
  }

  @Test
  void optionsNeverPrintTheKey() {
    CrawlOptions o = options(List.of("owl"), dir).flickrApiSecret("s3cr3t-value").build();
    assertFalse(o.toString().contains(KEY));
    assertFalse(o.toString().contains("s3cr3t-value"));
  }

  interface Run {
    CrawlReport run() throws IOException;
  }

  /** Runs with System.out and System.err (where slf4j-simple logs, at debug level in these tests) captured too. */
  static CrawlReport captureStdStreams(ByteArrayOutputStream sink, Run run) throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream capture = new PrintStream(sink, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      return run.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static void assertKeyNowhere(Path root, String... texts) throws IOException {
    for (String text : texts) {
      assertFalse(text.contains(KEY), "the API key leaked into output");
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(KEY), "the API key leaked into " + f);
      }
    }
  }
}
