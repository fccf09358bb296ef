package imgsearch.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.crawl.FakeFlickrServer.Photo;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.PerceptualHash;
import imgsearch.descriptor.PerceptualHashDescriptor;
import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.NeighbourGraph;
import imgsearch.eval.NearDuplicateSet;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageScaling;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexListener;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawler's near-duplicate check and {@code imgsearch duplicates} agree: a collection the crawler just cleaned
 * has no groups at the crawler's threshold, because both apply {@link PerceptualHash} within
 * {@link PerceptualHash#NEAR_DUPLICATE_BITS} to the same pixels (the crawler hashes what it stores).
 */
class DuplicatesAgreementTest {

  static final String KEY = "a9reeme9tke90123456789abcdef0123";

  @TempDir Path dir;

  @Test
  void aCleanedCrawlHasNoGroupsAtTheCrawlersThreshold() throws IOException {
    Map<String, byte[]> candidates = candidates();
    Path out = dir.resolve("crawl");
    try (FakeFlickrServer server = new FakeFlickrServer(KEY)) {
      long uploaded = 1_600_000_000L;
      for (Map.Entry<String, byte[]> c : candidates.entrySet()) {
        String path = "/img/" + c.getKey();
        byte[] bytes = c.getValue();
        boolean png = bytes[0] == (byte) 0x89;
        server.route(path, ex -> FakeFlickrServer.send(ex, 200, png ? "image/png" : "image/jpeg", bytes));
        server.addPhoto(new Photo(c.getKey(), "harbour", "1@N01", "Ann", "Photo " + c.getKey(), "4", "harbour",
            "2020-05-01 10:00:00", uploaded++, path));
      }
      CrawlOptions options = CrawlOptions.builder(List.of("harbour"), out).flickrApiKey(KEY)
          .flickrEndpoint(server.apiEndpoint()).download(CrawlFixtures.shortTimeouts())
          .cleaning(CrawlFixtures.smallImagesAllowed()).retry(CrawlFixtures.quickRetries())
          .apiCallsPerHour(3_600_000).perTerm(candidates.size()).build();
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      new Crawler(options, new FakeTime())
          .run(ConsoleProgress.plain(new PrintStream(console, true, StandardCharsets.UTF_8)::println));
    }
    long nearDuplicatesDropped = CrawlFixtures.reasonsById(out).values().stream()
        .filter("near-duplicate"::equals).count();
    assertTrue(nearDuplicatesDropped >= 6, "the crawl had near-duplicates to drop: " + CrawlFixtures.reasonsById(out));

    DuplicateMeasure hash = DuplicateMeasure.PHASH;
    assertEquals(PerceptualHash.NEAR_DUPLICATE_BITS, (int) hash.defaultThreshold());
    try (LuceneImageIndex cleaned = indexOf(out, "cleaned-index")) {
      DuplicateReport r = DuplicateFinder.find(cleaned, hash, hash.defaultThreshold(), 2, NeighbourGraph.Progress.NONE);
      assertEquals(CrawlFixtures.manifestById(out).size(), r.compared());
      assertEquals(List.of(), r.groups(), "no groups in a collection the crawler cleaned");
      // Why: the index holds exactly the hashes the crawler judged by.
      Map<String, Long> crawlerHashes = new HashMap<>();
      for (JsonNode line : CrawlFixtures.jsonLines(out.resolve(".crawl/hashes.jsonl"))) {
        crawlerHashes.put(line.get("id").asText(), Long.parseUnsignedLong(line.get("phash").asText(), 16));
      }
      List<Long> kept = new ArrayList<>();
      for (ImageRecord image : cleaned.list(ImageFilter.ALL, 0, 1000)) {
        String id = Path.of(image.path()).getFileName().toString().replaceFirst("\\.jpg$", "");
        long indexed = PerceptualHash.fromVector(cleaned.vector(image.id(), PerceptualHashDescriptor.NAME).orElseThrow());
        assertEquals(crawlerHashes.get(id), indexed, "hash of " + id);
        kept.add(indexed);
      }
      // Not a vacuous check: the crawler kept look-alikes just beyond its threshold.
      int closest = Integer.MAX_VALUE;
      for (int i = 0; i < kept.size(); i++) {
        for (int j = i + 1; j < kept.size(); j++) {
          closest = Math.min(closest, PerceptualHash.distance(kept.get(i), kept.get(j)));
        }
      }
      assertTrue(closest > PerceptualHash.NEAR_DUPLICATE_BITS && closest <= 12, "closest kept pair: " + closest + " bits");
    }

    // The same photos before cleaning: the same rule finds the copies the crawler dropped.
    Path raw = Files.createDirectories(dir.resolve("raw"));
    candidates.forEach((name, bytes) -> TestImages.write(raw, name + (bytes[0] == (byte) 0x89 ? ".png" : ".jpg"), bytes));
    try (LuceneImageIndex uncleaned = indexOf(raw, "raw-index")) {
      DuplicateReport r = DuplicateFinder.find(uncleaned, hash, hash.defaultThreshold(), 2, NeighbourGraph.Progress.NONE);
      assertTrue(r.redundantImages() >= nearDuplicatesDropped - 2, "found " + r.redundantImages() + " of the "
          + nearDuplicatesDropped + " the crawler dropped");
    }
  }

  private LuceneImageIndex indexOf(Path photos, String name) throws IOException {
    LuceneImageIndex index = LuceneImageIndex.open(dir.resolve(name));
    new Indexer(index, new ImageDecoder(), List.of(new PerceptualHashDescriptor(), new EdgeColourDescriptor()), 2)
        .index(photos, IndexListener.NONE);
    return index;
  }

  /**
   * Six scenes, each with copies whose hashes land on both sides of the threshold: recompressed, halved, brighter,
   * stored as PNG or rotated by an EXIF tag (both of which the crawler re-encodes), and crops from 97% to 85%;
   * and six unrelated scenes.
   */
  private static Map<String, byte[]> candidates() {
    Map<String, byte[]> c = new LinkedHashMap<>();
    for (int s = 0; s < 12; s++) {
      BufferedImage scene = ImageScaling.resize(NearDuplicateSet.scene(500 + s, 500 + s), 320, 240);
      String id = String.valueOf(100 + s * 20);
      c.put(id, TestImages.jpeg(scene, 0.9f));
      if (s >= 6) {
        continue;
      }
      c.put(id + "1", TestImages.jpeg(scene, 0.5f));
      c.put(id + "2", TestImages.jpeg(ImageScaling.resize(scene, 160, 120), 0.85f));
      c.put(id + "3", TestImages.jpeg(NearDuplicateSet.Transformation.BRIGHTER.apply(scene, null), 0.9f));
      c.put(id + "4", TestImages.png(ImageScaling.resize(scene, 300, 225)));
      c.put(id + "5", TestImages.jpegWithOrientation(scene, 3));
      int k = 6;
      for (double keep : new double[] {0.97, 0.94, 0.9, 0.85}) {
        int w = (int) Math.round(320 * keep);
        int h = (int) Math.round(240 * keep);
        c.put(id + k++, TestImages.jpeg(scene.getSubimage((320 - w) / 2, (240 - h) / 3, w, h), 0.9f));
      }
    }
    return c;
  }
}
