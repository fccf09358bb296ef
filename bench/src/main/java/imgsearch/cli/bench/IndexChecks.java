package imgsearch.cli.bench;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.file.Sha256;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import imgsearch.index.Indexer;
import imgsearch.index.SearchHit;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.search.ImageSearcher;
import imgsearch.search.SearchOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * What must hold for an index folder whatever happened to the process that wrote it: it opens, Lucene's
 * CheckIndex finds it clean, every record is one of the photos with its true content hash and every
 * descriptor, no photo is in it twice, and searches by an indexed id and by an image answer. Checks only
 * read; the photos must not change while a harness runs. Searches use the classic descriptors.
 */
public final class IndexChecks {

  /**
   * What an index folder held when it was inspected.
   *
   * @param committed whether it had a commit at all (a run killed very early leaves none)
   * @param images images in the last commit
   * @param checks every verdict, in order
   */
  public record IndexState(boolean committed, int images, List<Check> checks) {
    public IndexState {
      checks = List.copyOf(checks);
    }

    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  private final PhotoFolder photos;
  private final Map<Path, String> sha256ByFile = new HashMap<>();
  private final ImageDecoder decoder = new ImageDecoder();

  /** Hashes every photo once: the reference the index is compared with. */
  public IndexChecks(PhotoFolder photos) throws IOException {
    this.photos = photos;
    for (Path f : photos.files()) {
      sha256ByFile.put(f, Sha256.hex(f));
    }
  }

  /**
   * Inspects the index in {@code indexDir}.
   *
   * @param mustHaveCommit an earlier inspection saw a commit: having none now means a commit was lost
   * @param mustBeComplete every photo must be in the index (after a run that completed)
   * @param random picks the id and the photo to search with
   */
  public IndexState inspect(Path indexDir, boolean mustHaveCommit, boolean mustBeComplete, Random random) {
    List<Check> checks = new ArrayList<>();
    Path luceneDir = indexDir.resolve("lucene");
    boolean committed;
    try {
      committed = Files.isDirectory(luceneDir) && hasCommit(luceneDir);
    } catch (IOException e) {
      checks.add(Check.fail("index-opens", "cannot read " + luceneDir + ": " + e));
      return new IndexState(false, 0, checks);
    }
    if (!committed) {
      // Only a run killed before its first commit may leave no index; later ones must never lose it.
      checks.add(Check.of("index-opens", !mustHaveCommit && !mustBeComplete,
          mustHaveCommit || mustBeComplete ? "no commit, though one existed before" : "no commit yet (killed before the first)"));
      return new IndexState(false, 0, checks);
    }
    LuceneImageIndex opened;
    try {
      opened = LuceneImageIndex.openReadOnly(indexDir);
    } catch (IOException | RuntimeException e) {
      checks.add(Check.fail("index-opens", e.toString()));
      return new IndexState(true, 0, checks);
    }
    int images = 0;
    try (LuceneImageIndex index = opened) {
      images = index.count(ImageFilter.ALL);
      checks.add(Check.pass("index-opens", images + " images"));
      checks.add(luceneCheckIndex(luceneDir));
      List<ImageRecord> records = index.list(ImageFilter.ALL, 0, images + 1);
      checks.add(records(records, index.descriptors()));
      if (mustBeComplete) {
        checks.add(complete(records));
      }
      ImageSearcher searcher = new ImageSearcher(index, ClassicDescriptors.registry());
      checks.add(searchById(searcher, records, random));
      checks.add(searchByImage(searcher, records, random));
    } catch (IOException | RuntimeException e) {
      checks.add(Check.fail("index-reads", e.toString()));
    }
    return new IndexState(true, images, checks);
  }

  private static boolean hasCommit(Path luceneDir) throws IOException {
    try (Directory dir = FSDirectory.open(luceneDir)) {
      return DirectoryReader.indexExists(dir);
    }
  }

  /** Lucene's own verification: every segment's checksums and structures (the writer is dead, so its lock is free). */
  static Check luceneCheckIndex(Path luceneDir) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (Directory dir = FSDirectory.open(luceneDir); CheckIndex checker = new CheckIndex(dir)) {
      checker.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
      checker.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);
      CheckIndex.Status status = checker.checkIndex();
      if (status.clean) {
        return Check.pass("checkindex", status.numSegments + " segment(s)");
      }
      return Check.fail("checkindex", "broken segment " + status.brokenSegmentName + ", " + status.numBadSegments
          + " bad segment(s): " + tail(log.toString(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Check.fail("checkindex", e + ": " + tail(log.toString(StandardCharsets.UTF_8)));
    }
  }

  /** Every record is a photo of the folder, once, with its true hash, the id of its path and every descriptor. */
  Check records(List<ImageRecord> records, Map<String, DescriptorSpec> catalogue) {
    Set<String> keys = new TreeSet<>();
    catalogue.values().forEach(s -> keys.add(s.key()));
    Set<String> ids = new HashSet<>();
    Set<String> paths = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (ImageRecord r : records) {
      if (!ids.add(r.id())) {
        problems.add("id " + r.id() + " twice");
      }
      if (!paths.add(r.path())) {
        problems.add(r.path() + " twice");
      }
      Path file = Path.of(r.path());
      String sha = sha256ByFile.get(file);
      if (sha == null) {
        problems.add(r.path() + " is not a photo of " + photos.dir());
        continue;
      }
      if (!sha.equals(r.contentHash())) {
        problems.add(r.path() + " has hash " + r.contentHash() + ", the file " + sha);
      }
      if (!Indexer.idOf(file).equals(r.id())) {
        problems.add(r.path() + " has id " + r.id() + ", its path gives " + Indexer.idOf(file));
      }
      if (!r.descriptors().containsAll(keys)) {
        problems.add(r.path() + " has descriptors " + r.descriptors() + ", the index " + keys);
      }
    }
    return problems.isEmpty()
        ? Check.pass("records", records.size() + " unique, hashes match")
        : Check.fail("records", problems.size() + " problem(s), first: " + String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
  }

  /** After a completed run: every photo is in the index exactly once. */
  Check complete(List<ImageRecord> records) {
    Set<Path> indexed = new HashSet<>();
    records.forEach(r -> indexed.add(Path.of(r.path())));
    List<Path> lost = photos.files().stream().filter(f -> !indexed.contains(f)).toList();
    boolean ok = lost.isEmpty() && records.size() == photos.size();
    return Check.of("complete", ok, records.size() + "/" + photos.size() + " photos"
        + (lost.isEmpty() ? "" : ", lost " + lost.size() + " e.g. " + lost.get(0)));
  }

  /** More like an indexed image: an exact search gives min(10, n - 1) hits, never the image itself; HNSW answers too. */
  static Check searchById(ImageSearcher searcher, List<ImageRecord> records, Random random) {
    if (records.isEmpty()) {
      return Check.pass("search-by-id", "nothing indexed yet");
    }
    String id = records.get(random.nextInt(records.size())).id();
    try {
      List<SearchHit> exact = searcher.byId(id, new SearchOptions(null, null, 10, true, ImageFilter.ALL)).hits();
      List<SearchHit> graph = searcher.byId(id, SearchOptions.defaults()).hits();
      int expected = Math.min(10, records.size() - 1);
      boolean ok = exact.size() == expected && graph.size() <= expected && (expected == 0 || !graph.isEmpty())
          && exact.stream().noneMatch(h -> h.image().id().equals(id)) && graph.stream().noneMatch(h -> h.image().id().equals(id));
      return Check.of("search-by-id", ok, exact.size() + " exact, " + graph.size() + " HNSW hits of " + expected);
    } catch (IOException | RuntimeException e) {
      return Check.fail("search-by-id", id + ": " + e);
    }
  }

  /** Images like a photo (exact scan): min(10, n) hits, and the photo itself ranks first when it is indexed. */
  Check searchByImage(ImageSearcher searcher, List<ImageRecord> records, Random random) {
    Path photo = photos.files().get(random.nextInt(photos.size()));
    try {
      var image = decoder.decode(photo).image();
      List<SearchHit> hits = searcher.byImage(image, new SearchOptions(null, null, 10, true, ImageFilter.ALL)).hits();
      boolean indexed = records.stream().anyMatch(r -> r.path().equals(photo.toString()));
      int expected = Math.min(10, records.size());
      SearchHit self = hits.stream().filter(h -> h.image().path().equals(photo.toString())).findFirst().orElse(null);
      boolean selfFirst = self != null && Double.compare(self.score(), hits.get(0).score()) == 0;
      boolean ok = hits.size() == expected && (!indexed || selfFirst);
      return Check.of("search-by-image", ok, hits.size() + " hits of " + expected
          + (indexed ? selfFirst ? ", itself first" : ", itself NOT first" : ", photo not indexed yet"));
    } catch (Exception e) {
      return Check.fail("search-by-image", photo + ": " + e);
    }
  }

  /** How many inspections passed each check, in first-seen order: {@code index-opens 20/20}. */
  public static Map<String, int[]> tally(List<List<Check>> inspections) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (List<Check> checks : inspections) {
      for (Check c : checks) {
        int[] n = out.computeIfAbsent(c.name(), k -> new int[2]);
        n[0] += c.passed() ? 1 : 0;
        n[1]++;
      }
    }
    return out;
  }

  private static String tail(String log) {
    String t = log.strip();
    return t.length() <= 400 ? t : "..." + t.substring(t.length() - 400);
  }
}
