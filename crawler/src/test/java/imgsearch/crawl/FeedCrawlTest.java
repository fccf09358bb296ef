package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.manifestById;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.crawl.FakeFlickrServer.FeedEntry;
import imgsearch.index.ManifestEntry;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyless public feed source against the fake server. */
class FeedCrawlTest {

  @TempDir
  Path dir;

  FakeFlickrServer server;

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer("no-key-needed");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  FeedEntry entry(String id, String title, String licenseUrl, long seed) {
    String path = "/feedimg/" + id + "_b.jpg";
    server.serve(path, "image/jpeg", TestImages.jpeg(TestImages.photoLike(seed, 300, 200), 0.9f));
    return new FeedEntry(id, "55555555@N02", "Harbour Watcher", title, "red fox nature", "2024-06-30T08:15:00-08:00",
        path, licenseUrl);
  }

  @Test
  void keepsFeedPhotosWithTheirAttribution() throws IOException {
    server.addFeedEntries("red,fox", List.of(
        entry("53800000001", "Fox at dawn", "https://creativecommons.org/licenses/by-nc/2.0/deed.en", 1),
        entry("53800000002", "Fox in snow", null, 2)));
    server.addFeedEntries("redfox", List.of(
        entry("53800000002", "Fox in snow", null, 2), // also in the first query: offered once
        entry("53800000003", "Another fox", null, 3)));

    Path out = dir.resolve("data");
    CrawlOptions options = CrawlOptions.builder(List.of("Red Fox"), out)
        .feedEndpoint(server.feedEndpoint())
        .download(CrawlFixtures.fastDownloads())
        .cleaning(CrawlFixtures.smallImagesAllowed())
        .build();
    assertEquals(SourceKind.FLICKR_FEED, options.source(), "without a key the feed is the default");
    CrawlReport report = new Crawler(options, new FakeTime()).run(CrawlListener.NONE);

    Map<String, ManifestEntry> manifest = manifestById(out);
    assertEquals(Set.of("53800000001", "53800000002", "53800000003"), manifest.keySet());
    ManifestEntry e = manifest.get("53800000001");
    assertEquals("red-fox", e.label());
    assertEquals("flickr-feed", e.attribution().source());
    assertEquals("Fox at dawn", e.attribution().title());
    assertEquals("Harbour Watcher", e.attribution().owner());
    assertEquals("https://www.flickr.com/people/55555555@N02/", e.attribution().ownerUrl());
    assertEquals("https://www.flickr.com/photos/55555555@N02/53800000001/", e.attribution().pageUrl());
    assertEquals(server.url("/feedimg/53800000001_b.jpg"), e.attribution().imageUrl());
    assertEquals("CC BY-NC 2.0", e.attribution().licenseName());
    assertEquals("https://creativecommons.org/licenses/by-nc/2.0/deed.en", e.attribution().licenseUrl());
    assertEquals(List.of("red", "fox", "nature"), e.attribution().tags());
    assertEquals("2024-06-30T08:15:00-08:00", e.attribution().dateTaken());
    assertNull(manifest.get("53800000002").attribution().licenseName(), "no licence in the feed: none recorded");
    assertEquals(1, server.hits("/feedimg/53800000002_b.jpg"));
    assertEquals(2, server.hits(FakeFlickrServer.FEED_PATH), "the words as tags, then run together");
    assertManifestMatchesFiles(out);

    assertTrue(report.notes().stream().anyMatch(n -> n.contains("most recent")), report.notes().toString());
    JsonNode json = CrawlFixtures.report(out);
    assertEquals("flickr-feed", json.get("source").asText());
    assertEquals(server.feedEndpoint().toString(), json.get("parameters").get("feed_endpoint").asText());
    assertTrue(json.get("notes").toString().contains("does not filter by licence"));
  }

  @Test
  void anEmptyFeedKeepsNothingAndSaysSo() throws IOException {
    Path out = dir.resolve("data");
    CrawlReport report = new Crawler(CrawlOptions.builder(List.of("zebra"), out)
        .feedEndpoint(server.feedEndpoint()).download(CrawlFixtures.fastDownloads()).build(), new FakeTime())
        .run(CrawlListener.NONE);
    assertEquals(0, report.totals().kept());
    assertEquals(0, report.terms().get(0).candidatesThisRun());
    assertNull(report.terms().get(0).error());
  }

  @Test
  void anUnreachableFeedFailsTheTermWithAClearMessage() throws IOException {
    Path out = dir.resolve("data");
    server.status(FakeFlickrServer.FEED_PATH + "-gone", 404);
    CrawlReport report = new Crawler(CrawlOptions.builder(List.of("zebra"), out)
        .feedEndpoint(java.net.URI.create(server.url(FakeFlickrServer.FEED_PATH + "-gone")))
        .download(CrawlFixtures.fastDownloads()).build(), new FakeTime())
        .run(CrawlListener.NONE);
    assertTrue(report.anyTermFailed());
    assertTrue(report.terms().get(0).error().contains("could not read the Flickr feed"), report.terms().get(0).error());
    assertTrue(report.terms().get(0).error().contains("HTTP 404"), report.terms().get(0).error());
  }
}
