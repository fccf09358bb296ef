package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.read;
import static imgsearch.crawl.CrawlFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import imgsearch.crawl.FakeFlickrServer.Photo;
import imgsearch.image.ImageDecoder;
import imgsearch.index.Manifest;
import imgsearch.index.ManifestEntry;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawl kill harness: {@code imgsearch crawl}'s crawler in child JVMs against the loopback fake of
 * Flickr, SIGKILLed again and again at seeded random moments, each run resuming what the killed ones left.
 * A moment is the fake server's n-th image request from the start of the run (n drawn from 0 to the number
 * of photos; 0 is the first API call), killed either before it is answered or right after the answer was
 * sent, while the child stores the image. After every kill nothing in {@code train/} or {@code test/} is
 * half-written and every manifest line is backed by a complete file. A run that ends before its moment must
 * have completed the collection, and the next round starts a fresh one; a last run then completes with every
 * photo kept once and nothing kept by a killed run downloaded again.
 *
 * <p>3 kills by default; {@code -Dimgsearch.crawlKills=20 -Dimgsearch.crawlKillSeed=N} for the figures in
 * BENCHMARKS.md (the fake Flickr server is test code, so this harness is a test, not a bench command).
 */
class CrawlKillTest {

  static final String KEY = "crawl-kill-test-key-5e4d3c2b1a";
  static final String TERM = "heron";
  static final int PHOTOS = 40;
  static final int KILLS = Integer.getInteger("imgsearch.crawlKills", 3);
  static final long SEED = Long.getLong("imgsearch.crawlKillSeed", 11);

  @TempDir Path dir;

  FakeFlickrServer server;
  final Map<String, byte[]> served = new LinkedHashMap<>();
  final AtomicReference<Process> child = new AtomicReference<>();
  final AtomicInteger imageRequests = new AtomicInteger();
  final AtomicBoolean killed = new AtomicBoolean();
  /** The moment of the current round: kill at this image request (0: at the first API call, -1: never). */
  volatile int killAt = -1;
  volatile boolean killAfterAnswer;

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer(KEY);
    server.onApiCall(() -> {
      if (killAt == 0) {
        kill();
      }
    });
    for (int i = 1; i <= PHOTOS; i++) {
      String id = String.valueOf(7000 + i);
      String path = "/img/" + id + ".jpg";
      byte[] bytes = TestImages.jpeg(TestImages.photoLike(7000 + i, 240, 180), 0.9f);
      served.put(id, bytes);
      server.route(path, ex -> {
        int n = imageRequests.incrementAndGet();
        if (n == killAt && !killAfterAnswer) {
          kill(); // the child dies waiting for this image
          return;
        }
        FakeFlickrServer.send(ex, 200, "image/jpeg", bytes);
        if (n == killAt) {
          kill(); // the child dies while it cleans, writes and renames this image (or the next)
        }
      });
      server.addPhoto(new Photo(id, TERM, "9@N01", "Heron Watcher", "Heron " + i, "4", "heron", "2022-03-04 05:06:07",
          1_650_000_000L + i, path));
    }
  }

  @AfterEach
  void stop() {
    Process p = child.get();
    if (p != null) {
      p.destroyForcibly();
    }
    server.close();
  }

  private void kill() {
    Process p = child.get();
    if (p != null && killed.compareAndSet(false, true)) {
      p.destroyForcibly();
    }
  }

  /** Runs ChildCrawl until it exits or is killed; its exit code. */
  private int runChild(Path out, Path log) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        ChildCrawl.class.getName(), server.apiEndpoint().toString(), out.toString(), TERM);
    pb.environment().put("FLICKR_API_KEY", KEY);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    killed.set(false);
    Process p = pb.start();
    child.set(p);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("the child crawl neither ended nor was killed in 120 s: " + Files.readString(log));
    }
    child.set(null);
    return p.exitValue();
  }

  @Test
  void killedAtRandomMomentsTheCrawlNeverLeavesHalfWrittenFilesAndEndsComplete() throws Exception {
    int generation = 1;
    Path out = dir.resolve("data-1");
    Random random = new Random(SEED);
    Map<String, Integer> downloadsWhenKept = new LinkedHashMap<>();
    List<String> moments = new ArrayList<>();
    int killedRounds = 0;
    int keptByKilledRuns = 0;
    for (int round = 1; round <= KILLS; round++) {
      // Drawn from a whole crawl's image requests: beyond what is left, the run completes before its moment.
      int nth = random.nextInt(PHOTOS + 1);
      killAfterAnswer = random.nextBoolean();
      killAt = nth == 0 ? 0 : imageRequests.get() + nth;
      String moment = nth == 0 ? "the first API call" : "image request +" + nth + (killAfterAnswer ? " (answered)" : " (unanswered)");
      Path log = dir.resolve("child-" + round + ".log");
      int exit = runChild(out, log);
      boolean wasKilled = killed.get();
      assertTrue(wasKilled || exit == 0, "round " + round + ": the child failed by itself, exit " + exit + ": "
          + Files.readString(log));
      killedRounds += wasKilled ? 1 : 0;
      moments.add(moment);

      CrashState state = inspectAfterKill(out);
      for (String id : wasKilled ? state.listed() : List.<String>of()) {
        downloadsWhenKept.putIfAbsent(id, server.hits("/img/" + id + ".jpg"));
      }
      System.out.printf(Locale.ROOT, "crawl kill %2d/%d at %s: %s, exit %d; %d files in train/test, all complete and listed;"
              + " %d manifest lines, %d awaiting their rename, %d split moves cut short, cut-off last line: %s%s%n",
          round, KILLS, moment, wasKilled ? "killed" : "the run ended first", exit, state.files(), state.listed().size(),
          state.inPartial(), state.inOtherSplit(), state.cutOffLine() ? "yes" : "no",
          wasKilled ? "" : "; complete, the next round starts a fresh collection");
      if (!wasKilled) {
        // A run that ended by itself completed the collection; killing runs with nothing left to do tells little.
        assertComplete(out, downloadsWhenKept);
        keptByKilledRuns += downloadsWhenKept.size();
        downloadsWhenKept.clear();
        out = dir.resolve("data-" + ++generation);
      }
    }

    killAt = -1;
    Path log = dir.resolve("child-final.log");
    assertEquals(0, runChild(out, log), Files.readString(log));
    keptByKilledRuns += downloadsWhenKept.size();
    assertComplete(out, downloadsWhenKept);
    String childLogs = Files.readString(log, StandardCharsets.UTF_8);
    assertFalse(childLogs.contains(KEY), "the key never shows in the output");
    System.out.printf(Locale.ROOT, "kill-crawl PASS: %d rounds (%d killed, %d ended before their moment, each starting a"
            + " fresh collection) at %s; after each: nothing half-written in train/test, every manifest line backed by a"
            + " complete file; every completed collection: %d/%d photos kept once, manifest matches files; %d images kept by"
            + " killed runs, none downloaded again%n",
        KILLS, killedRounds, KILLS - killedRounds, String.join(", ", moments), PHOTOS, PHOTOS, keptByKilledRuns);
  }

  /** After a run that completed: every photo kept once, byte for byte, and none kept earlier downloaded again. */
  private void assertComplete(Path out, Map<String, Integer> downloadsWhenKept) throws IOException {
    assertManifestMatchesFiles(out);
    Map<String, ManifestEntry> kept = new LinkedHashMap<>();
    Manifest.read(out).values().forEach(e -> kept.put(e.id(), e));
    assertEquals(served.keySet(), kept.keySet(), "every photo kept, once");
    for (Map.Entry<String, ManifestEntry> e : kept.entrySet()) {
      assertEquals(sha256(served.get(e.getKey())), e.getValue().sha256(), e.getKey() + " is the served file, byte for byte");
    }
    downloadsWhenKept.forEach((id, hits) -> assertEquals(hits, server.hits("/img/" + id + ".jpg"),
        id + " was kept by a killed run and must not be downloaded again"));
  }

  /**
   * What a killed crawl left, checked.
   *
   * @param files image files in train/ and test/
   * @param listed ids with a manifest line
   * @param inPartial lines whose file was written but not yet renamed into place (the next run completes them)
   * @param inOtherSplit lines whose file is still in the split it was being moved from (the next run moves it)
   * @param cutOffLine whether the manifest's last line was cut short (the next run drops it)
   */
  record CrashState(int files, List<String> listed, int inPartial, int inOtherSplit, boolean cutOffLine) {}

  /**
   * Every file in train/ and test/ is a complete, decodable image listed in the manifest (at its place, or at
   * the other split's when a split move was cut short), and every manifest line has a complete file: in place,
   * in the other split, or written in .crawl/partial and waiting for its rename. Only the last line may be cut off.
   */
  private static CrashState inspectAfterKill(Path out) throws IOException {
    Map<String, ManifestEntry> byId = new LinkedHashMap<>();
    boolean cutOff = false;
    Path manifest = out.resolve(Manifest.FILE_NAME);
    List<String> lines = Files.exists(manifest) ? Files.readAllLines(manifest) : List.of();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        ManifestEntry e = CrawlFixtures.JSON.readValue(lines.get(i), ManifestEntry.class);
        byId.put(e.id(), e);
      } catch (JsonProcessingException e) {
        assertEquals(lines.size() - 1, i, "only the last manifest line may be cut short: " + lines.get(i));
        cutOff = true;
      }
    }
    ImageDecoder decoder = new ImageDecoder();
    int files = 0;
    for (String file : CrawlFixtures.imageFiles(out)) {
      files++;
      assertTrue(file.endsWith(".jpg"), "only finished .jpg files in train/test: " + file);
      String id = file.substring(file.lastIndexOf('/') + 1, file.length() - ".jpg".length());
      ManifestEntry e = byId.get(id);
      assertNotNull(e, file + " is in the manifest");
      assertTrue(file.equals(e.file()) || file.equals(otherSplit(e)), file + " is where its manifest line says, or"
          + " where a cut-short split move left it: " + e.file());
      assertEquals(e.sha256(), sha256(read(out.resolve(file))), file + " is complete");
      try {
        assertNotNull(decoder.decode(out.resolve(file)));
      } catch (imgsearch.image.ImageDecodeException ex) {
        fail(file + " does not decode: " + ex.getMessage());
      }
    }
    int inPartial = 0;
    int inOtherSplit = 0;
    for (ManifestEntry e : byId.values()) {
      if (Files.isRegularFile(out.resolve(e.file()))) {
        continue;
      }
      Path partial = out.resolve(".crawl/partial/" + e.id() + ".jpg.part");
      if (Files.isRegularFile(out.resolve(otherSplit(e)))) {
        inOtherSplit++;
      } else if (Files.isRegularFile(partial) && e.sha256().equals(sha256(read(partial)))) {
        inPartial++;
      } else {
        fail(e.file() + " is listed but has no complete file anywhere");
      }
    }
    return new CrashState(files, List.copyOf(byId.keySet()), inPartial, inOtherSplit, cutOff);
  }

  private static String otherSplit(ManifestEntry e) {
    return ("test".equals(e.split()) ? "train" : "test") + "/" + e.label() + "/" + e.id() + ".jpg";
  }
}
