package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.manifestById;
import static imgsearch.crawl.CrawlFixtures.read;
import static imgsearch.crawl.CrawlFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.crawl.FakeFlickrServer.Photo;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ManifestEntry;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crawl stopped at any point and run again ends where an uninterrupted one would, downloading nothing twice. */
class ResumeTest {

  static final String KEY = "resume-test-key-8f7e6d5c4b3a";
  static final String TERM = "otter";

  @TempDir
  Path dir;

  FakeFlickrServer server;
  FakeTime time = new FakeTime();

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer(KEY);
    for (int i = 1; i <= 8; i++) {
      String id = "60" + i;
      String path = "/img/" + id + ".jpg";
      server.serve(path, "image/jpeg", TestImages.jpeg(TestImages.photoLike(600 + i, 240, 180), 0.9f));
      server.addPhoto(new Photo(id, TERM, "1@N01", "Otter Fan", "Otter " + i, "4", "otter", "2021-01-01 00:00:00",
          1_600_000_000L + i, path));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  CrawlOptions options(Path out) {
    return CrawlOptions.builder(List.of(TERM), out)
        .flickrApiKey(KEY)
        .flickrEndpoint(server.apiEndpoint())
        .perTerm(50)
        .apiCallsPerHour(3_600_000)
        .download(CrawlFixtures.fastDownloads())
        .cleaning(CrawlFixtures.smallImagesAllowed())
        .build();
  }

  int imageHits(String id) {
    return server.hits("/img/" + id + ".jpg");
  }

  @Test
  void aCancelledCrawlResumesWithoutDownloadingAgain() throws IOException {
    Path out = dir.resolve("data");
    Crawler first = new Crawler(options(out), time);
    CrawlReport stopped = first.run(new CrawlListener() {
      @Override
      public void candidateDone(String term, int kept, int target, int rejected) {
        if (kept == 3) {
          first.cancel();
        }
      }
    });
    assertTrue(stopped.interrupted());
    assertEquals(3, manifestById(out).size());
    assertManifestMatchesFiles(out);
    Map<String, ManifestEntry> before = manifestById(out);

    CrawlReport resumed = new Crawler(options(out), time).run(CrawlListener.NONE);
    assertEquals(8, resumed.totals().kept());
    assertEquals(5, resumed.totals().keptThisRun());
    for (String id : before.keySet()) {
      assertEquals(1, imageHits(id), id + " was kept before and is not downloaded again");
      assertEquals(before.get(id), manifestById(out).get(id), id + " keeps its entry and split");
    }
    assertManifestMatchesFiles(out);

    // The same crawl done in one go gives the same collection.
    Path straight = dir.resolve("straight");
    new Crawler(options(straight), time).run(CrawlListener.NONE);
    assertEquals(manifestById(straight), manifestById(out));
  }

  @Test
  void repairsWhatAnInterruptedRunLeftOnDisk() throws IOException {
    Path out = dir.resolve("data");
    new Crawler(options(out), time).run(CrawlListener.NONE);
    Map<String, ManifestEntry> full = manifestById(out);
    assertEquals(8, full.size());
    Path partial = out.resolve(".crawl/partial");

    // Killed after the manifest line, before the rename: the finished file is still in .crawl/partial.
    ManifestEntry listedNotMoved = full.get("601");
    Files.move(out.resolve(listedNotMoved.file()), partial.resolve("601.jpg.part"));
    // Killed while writing: the partial file is incomplete and its manifest line was never written.
    ManifestEntry halfWritten = full.get("602");
    byte[] bytes = read(out.resolve(halfWritten.file()));
    Files.delete(out.resolve(halfWritten.file()));
    Files.write(partial.resolve("602.jpg.part"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
    String manifest = Files.readString(out.resolve("manifest.jsonl"));
    Files.writeString(out.resolve("manifest.jsonl"), manifest.lines()
        .filter(l -> !l.contains("\"id\":\"602\"")).reduce("", (a, l) -> a + l + "\n"));
    // Killed halfway through a manifest line.
    Files.writeString(out.resolve("manifest.jsonl"), "{\"id\":\"999\",\"class\":\"ot", StandardOpenOption.APPEND);
    // Killed while moving an image to the other split: the manifest says one split, the file is in the other.
    ManifestEntry moving = full.get("603");
    String otherSplit = moving.split().equals("train") ? "test" : "train";
    Path movedTo = out.resolve(otherSplit + "/" + TERM + "/603.jpg");
    Files.createDirectories(movedTo.getParent());
    Files.move(out.resolve(moving.file()), movedTo);
    // A file listed in the manifest that is gone for good.
    ManifestEntry lost = full.get("604");
    Files.delete(out.resolve(lost.file()));

    CrawlReport again = new Crawler(options(out), time).run(CrawlListener.NONE);
    assertManifestMatchesFiles(out);
    assertEquals(full, manifestById(out), "the same collection as before the damage");
    assertEquals(1, imageHits("601"), "recovered from the partial file");
    assertEquals(1, imageHits("603"), "recovered from the other split");
    assertEquals(2, imageHits("602"), "downloaded again: it was never complete");
    assertEquals(2, imageHits("604"), "downloaded again: its file was gone");
    assertEquals(2, again.totals().keptThisRun());
    assertTrue(again.notes().stream().anyMatch(n -> n.contains("completed 2 image(s)")), again.notes().toString());
  }

  @Test
  void survivesKillDashNine() throws Exception {
    Path out = dir.resolve("data");
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    byte[] image606 = TestImages.jpeg(TestImages.photoLike(606, 240, 180), 0.9f);
    // The child is killed while it waits for image 606: some images are kept, some in flight.
    server.gate("/img/606.jpg", arrived, gate, ex -> FakeFlickrServer.send(ex, 200, "image/jpeg", image606));

    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        ChildCrawl.class.getName(), server.apiEndpoint().toString(), out.toString(), TERM);
    pb.environment().put("FLICKR_API_KEY", KEY);
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("child.log").toFile());
    Process child = pb.start();
    try {
      assertTrue(arrived.await(30, TimeUnit.SECONDS), "the child reached image 606: "
          + (Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : ""));
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
      gate.countDown();
    }

    // What the killed run left: every file in train/ or test/ is complete and listed.
    Map<String, ManifestEntry> listed = manifestById(out);
    ImageDecoder decoder = new ImageDecoder();
    for (String file : CrawlFixtures.imageFiles(out)) {
      ManifestEntry e = listed.values().stream().filter(m -> m.file().equals(file)).findFirst().orElse(null);
      assertNotNull(e, file + " is in the manifest");
      assertEquals(e.sha256(), sha256(read(out.resolve(file))), file + " is complete");
      assertNotNull(decoder.decode(out.resolve(file)));
    }
    List<String> keptByChild = CrawlFixtures.imageFiles(out).stream()
        .map(f -> f.substring(f.lastIndexOf('/') + 1, f.length() - 4)).toList();

    new Crawler(options(out), time).run(CrawlListener.NONE);
    assertManifestMatchesFiles(out);
    assertEquals(8, manifestById(out).size());
    for (String id : keptByChild) {
      assertEquals(1, imageHits(id), id + " kept by the killed run is not downloaded again");
    }
    assertTrue(!keptByChild.contains("606"));
    String log = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
    assertTrue(!log.contains(KEY));
  }
}
