package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.manifestById;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.crawl.FakeFlickrServer.Photo;
import imgsearch.crawl.clean.CleaningOptions;
import imgsearch.index.ManifestEntry;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split as the crawl makes it: deterministic, stable under growth, look-alikes together. */
class SplitCrawlTest {

  static final String KEY = "split-test-key";

  @TempDir
  Path dir;

  FakeFlickrServer server;

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer(KEY);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void photo(String term, String id, byte[] jpeg) {
    String path = "/img/" + id + ".jpg";
    server.serve(path, "image/jpeg", jpeg);
    server.addPhoto(new Photo(id, term, "1@N01", "Someone", id, "4", "", "2021-01-01 00:00:00", 1_600_000_000L, path));
  }

  CrawlOptions.Builder options(List<String> terms, Path out) {
    return CrawlOptions.builder(terms, out).flickrApiKey(KEY).flickrEndpoint(server.apiEndpoint())
        .apiCallsPerHour(3_600_000).download(CrawlFixtures.fastDownloads()).cleaning(CrawlFixtures.smallImagesAllowed());
  }

  @Test
  void moreImagesLaterLeaveEarlierAssignmentsAsTheyWere() throws IOException {
    for (int i = 0; i < 16; i++) {
      photo("heron", "80" + (10 + i), TestImages.jpeg(TestImages.photoLike(800 + i, 160, 120), 0.9f));
    }
    photo("egret", "8100", TestImages.jpeg(TestImages.photoLike(899, 160, 120), 0.9f));
    photo("egret", "8101", TestImages.jpeg(TestImages.photoLike(898, 160, 120), 0.9f));
    Path out = dir.resolve("data");
    new Crawler(options(List.of("heron", "egret"), out).perTerm(6).build(), new FakeTime()).run(CrawlListener.NONE);
    Map<String, ManifestEntry> first = manifestById(out);
    assertEquals(8, first.size());
    for (String label : List.of("heron", "egret")) {
      assertTrue(first.values().stream().anyMatch(e -> e.label().equals(label) && e.split().equals("test")),
          label + " has a test image");
      assertTrue(first.values().stream().anyMatch(e -> e.label().equals(label) && e.split().equals("train")),
          label + " has a train image");
    }

    new Crawler(options(List.of("heron", "egret"), out).perTerm(16).build(), new FakeTime()).run(CrawlListener.NONE);
    Map<String, ManifestEntry> grown = manifestById(out);
    assertEquals(18, grown.size());
    first.forEach((id, e) -> assertEquals(e.split(), grown.get(id).split(), id + " keeps its split"));
    assertManifestMatchesFiles(out);

    // Determinism: the same parameters on a fresh folder give the same collection.
    Path again = dir.resolve("again");
    new Crawler(options(List.of("heron", "egret"), again).perTerm(6).build(), new FakeTime()).run(CrawlListener.NONE);
    assertEquals(first, manifestById(again));
  }

  @Test
  void lookAlikesNeverStraddleTrainAndTest() throws IOException {
    // Duplicates only when identical, so that recompressed copies are kept: they must share a split.
    for (int i = 0; i < 10; i++) {
      photo("crane", "90" + (10 + i), TestImages.jpeg(TestImages.photoLike(900 + i, 200, 150), 0.95f));
      photo("crane", "91" + (10 + i), TestImages.jpeg(TestImages.photoLike(900 + i, 200, 150), 0.5f));
    }
    Path out = dir.resolve("data");
    CleaningOptions cleaning = new CleaningOptions(40, 40, 4, 4, 0, 12, 0.92f);
    new Crawler(options(List.of("crane"), out).perTerm(40).testRatio(0.5).cleaning(cleaning).build(), new FakeTime())
        .run(CrawlListener.NONE);
    Map<String, ManifestEntry> m = manifestById(out);
    int pairs = 0;
    for (int i = 0; i < 10; i++) {
      ManifestEntry original = m.get("90" + (10 + i));
      ManifestEntry copy = m.get("91" + (10 + i));
      if (original != null && copy != null) {
        pairs++;
        assertEquals(original.split(), copy.split(), "copy of " + original.id() + " is in the same split");
      }
    }
    assertTrue(pairs >= 5, "most copies were kept as look-alikes, not dropped: " + pairs);
    assertTrue(m.values().stream().anyMatch(e -> e.split().equals("test")));
    assertTrue(m.values().stream().anyMatch(e -> e.split().equals("train")));
  }
}
