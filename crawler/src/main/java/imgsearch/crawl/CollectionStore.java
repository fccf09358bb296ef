package imgsearch.crawl;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.crawl.split.Splitter;
import imgsearch.descriptor.PerceptualHash;
import imgsearch.file.AtomicFiles;
import imgsearch.file.JsonLines;
import imgsearch.file.Sha256;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageLimits;
import imgsearch.index.Manifest;
import imgsearch.index.ManifestEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The collection folder on disk, kept consistent through crashes. Layout:
 * <pre>
 * DATA/train/CLASS/ID.jpg, DATA/test/CLASS/ID.jpg   kept images
 * DATA/manifest.jsonl                               one line per kept image
 * DATA/rejected.jsonl                               one line per dropped candidate and class: its latest outcome
 * DATA/.crawl/partial/ID.jpg.part                   an image being written
 * DATA/.crawl/hashes.jsonl                          content and perceptual hashes of kept images
 * </pre>
 * An image is written to {@code .crawl/partial}, its manifest line appended, and only then renamed into
 * {@code train/} or {@code test/}: nothing half-written is ever there. On opening, the store repairs what an
 * interrupted run (Ctrl-C, kill -9) left: manifest lines whose file is missing are completed from the
 * partial file when its hash matches, or dropped; a cut-off last line is dropped; partial files are removed.
 * {@code rejected.jsonl} is appended to while crawling (an append cut short loses at most that line) and
 * compacted on opening and by {@link #compactRejected()} at the end of a run, by an atomic rewrite: one line per
 * candidate and class with its latest outcome, none for a candidate kept since.
 */
final class CollectionStore {

  static final String REJECTED_FILE = "rejected.jsonl";
  static final String REPORT_FILE = "crawl-report.json";
  private static final String STATE_DIR = ".crawl";
  private static final String HASHES_FILE = "hashes.jsonl";

  /** A candidate of a class: what rejected.jsonl keeps one line for. */
  private record CandidateKey(String label, String id) {}

  /** The hashes of a kept image, one line of {@code .crawl/hashes.jsonl}. */
  record KeptHashes(@JsonProperty("id") String id, @JsonProperty("source_sha256") String sourceSha256,
      @JsonProperty("phash") String phash) {
    long phashBits() {
      return Long.parseUnsignedLong(phash, 16);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Path partialDir;
  private final Path hashesFile;
  private final Map<String, ManifestEntry> byId = new LinkedHashMap<>();
  private final Map<String, KeptHashes> hashes = new LinkedHashMap<>();
  /** Latest rejection per candidate and class, in the order of their latest outcome. */
  private final Map<CandidateKey, RejectedRecord> rejected = new LinkedHashMap<>();
  private final List<String> repairs = new ArrayList<>();

  private CollectionStore(Path root) {
    this.root = root;
    this.partialDir = root.resolve(STATE_DIR).resolve("partial");
    this.hashesFile = root.resolve(STATE_DIR).resolve(HASHES_FILE);
  }

  /** Opens (creating if needed) the collection at {@code root} and repairs what an interrupted run left. */
  static CollectionStore open(Path root, ImageLimits limits) throws IOException {
    CollectionStore store = new CollectionStore(root);
    try {
      Files.createDirectories(store.partialDir);
    } catch (IOException e) {
      throw new IOException("cannot create the collection folder " + root + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    }
    store.reconcile(limits);
    return store;
  }

  Path root() {
    return root;
  }

  /** What the repair on opening did, for the report. */
  List<String> repairs() {
    return List.copyOf(repairs);
  }

  private void reconcile(ImageLimits limits) throws IOException {
    Map<String, ManifestEntry> listed = Manifest.read(root);
    List<ManifestEntry> good = new ArrayList<>();
    int recovered = 0;
    int dropped = 0;
    for (ManifestEntry e : listed.values()) {
      Path file = root.resolve(e.file());
      if (e.id() == null || e.label() == null || byIdContains(good, e.id())) {
        dropped++;
        continue;
      }
      if (!Files.isRegularFile(file)) {
        Path other = root.resolve(otherSplit(e.split())).resolve(e.label()).resolve(e.id() + ".jpg");
        Path partial = partialDir.resolve(e.id() + ".jpg.part");
        if (Files.isRegularFile(other)) {
          AtomicFiles.move(other, file); // a split move that was cut short
          recovered++;
        } else if (Files.isRegularFile(partial) && e.sha256() != null && e.sha256().equals(Sha256.hex(Files.readAllBytes(partial)))) {
          AtomicFiles.move(partial, file); // written and listed, not yet renamed
          recovered++;
        } else {
          dropped++;
          continue;
        }
      }
      good.add(e);
    }
    for (ManifestEntry e : good) {
      byId.put(e.id(), e);
    }
    writeAtomically(root.resolve(Manifest.FILE_NAME), good.stream().map(Manifest::toLine).toList());
    clearPartials();
    if (recovered > 0) {
      repairs.add("completed " + recovered + " image(s) that an interrupted run had listed but not yet moved into place");
    }
    if (dropped > 0) {
      repairs.add("dropped " + dropped + " manifest line(s) with no complete file (from an interrupted run)");
    }

    Map<String, KeptHashes> stored = new LinkedHashMap<>();
    for (KeptHashes h : JsonLines.read(hashesFile, KeptHashes.class)) {
      stored.put(h.id(), h);
    }
    ImageDecoder decoder = null;
    for (ManifestEntry e : good) {
      KeptHashes h = stored.get(e.id());
      if (h == null) {
        // Kept before its hashes were written (or by another tool): hash the file itself.
        if (decoder == null) {
          decoder = new ImageDecoder(limits);
        }
        try {
          long bits = PerceptualHash.of(decoder.decode(root.resolve(e.file())).image());
          h = new KeptHashes(e.id(), e.sha256(), hex(bits));
        } catch (ImageDecodeException ex) {
          h = new KeptHashes(e.id(), e.sha256(), hex(0));
        }
      }
      hashes.put(e.id(), h);
    }
    writeAtomically(hashesFile, hashes.values().stream().map(CollectionStore::toJson).toList());

    for (RejectedRecord r : JsonLines.read(root.resolve(REJECTED_FILE), RejectedRecord.class)) {
      if (r.id() != null && r.label() != null) {
        remember(r);
      }
    }
    byId.values().forEach(e -> rejected.remove(new CandidateKey(e.label(), e.id()))); // kept by a later run
    compactRejected();

    long orphans = orphanCount();
    if (orphans > 0) {
      repairs.add(orphans + " image file(s) in train/ or test/ are not in the manifest (left in place; not crawled by imgsearch)");
    }
  }

  private static boolean byIdContains(List<ManifestEntry> entries, String id) {
    return entries.stream().anyMatch(e -> id.equals(e.id()));
  }

  private long orphanCount() throws IOException {
    long n = 0;
    for (String split : List.of(Splitter.TRAIN, Splitter.TEST)) {
      Path dir = root.resolve(split);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        n += files.filter(Files::isRegularFile)
            .map(p -> root.relativize(p).toString().replace('\\', '/'))
            .filter(rel -> byId.values().stream().noneMatch(e -> rel.equals(e.file())))
            .count();
      }
    }
    return n;
  }

  private void clearPartials() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(partialDir)) {
      for (Path p : files) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(root.resolve(Manifest.FILE_NAME + ".tmp"));
  }

  synchronized Collection<ManifestEntry> entries() {
    return List.copyOf(byId.values());
  }

  synchronized ManifestEntry entry(String id) {
    return byId.get(id);
  }

  synchronized KeptHashes hashes(String id) {
    return hashes.get(id);
  }

  synchronized List<ManifestEntry> entriesOf(String label) {
    return byId.values().stream().filter(e -> label.equals(e.label())).toList();
  }

  /** The latest rejection of each candidate and class that is not kept. */
  synchronized List<RejectedRecord> rejected() {
    return List.copyOf(rejected.values());
  }

  /**
   * Whether {@code id} was dropped for {@code label} before for a reason that will not pass by itself; false
   * for a transient one (network, timeout), which the next run tries again.
   */
  synchronized boolean rejectedForGood(String label, String id) {
    RejectedRecord r = rejected.get(new CandidateKey(label, id));
    return r != null && !r.retryOnNextRun();
  }

  /** Path of a kept image relative to the root, with forward slashes. */
  static String relativeFile(String split, String label, String id) {
    return split + "/" + label + "/" + id + ".jpg";
  }

  /** Stores a kept image: partial file, manifest line, rename, hashes line, in that order. */
  synchronized void keep(ManifestEntry entry, byte[] bytes, String sourceSha256, long phash) throws IOException {
    Path partial = partialDir.resolve(entry.id() + ".jpg.part");
    Files.write(partial, bytes);
    append(root.resolve(Manifest.FILE_NAME), Manifest.toLine(entry));
    Path target = root.resolve(entry.file());
    Files.createDirectories(target.getParent());
    AtomicFiles.move(partial, target);
    KeptHashes h = new KeptHashes(entry.id(), sourceSha256, hex(phash));
    append(hashesFile, toJson(h));
    byId.put(entry.id(), entry);
    hashes.put(entry.id(), h);
    rejected.remove(new CandidateKey(entry.label(), entry.id())); // its old line goes at the next compaction
  }

  /** Records a dropped candidate; it replaces an earlier rejection of the same candidate and class. */
  synchronized void reject(RejectedRecord record) throws IOException {
    append(root.resolve(REJECTED_FILE), toJson(record));
    remember(record);
  }

  /**
   * Rewrites rejected.jsonl with one line per candidate and class (its latest outcome), without the candidates
   * kept since. Atomic: a kill at any moment leaves the old file or the new one, both valid.
   */
  synchronized void compactRejected() throws IOException {
    writeAtomically(root.resolve(REJECTED_FILE), rejected.values().stream().map(CollectionStore::toJson).toList());
  }

  private void remember(RejectedRecord r) {
    CandidateKey key = new CandidateKey(r.label(), r.id());
    rejected.remove(key); // re-inserted at the end: the file lists outcomes in the order they happened
    rejected.put(key, r);
  }

  /** Moves a kept image to the other split: manifest first (atomically), then the file. */
  synchronized void moveSplit(String id, String toSplit) throws IOException {
    ManifestEntry e = byId.get(id);
    if (e == null || toSplit.equals(e.split())) {
      return;
    }
    ManifestEntry moved = e.movedTo(toSplit, relativeFile(toSplit, e.label(), e.id()));
    byId.put(id, moved);
    writeAtomically(root.resolve(Manifest.FILE_NAME), byId.values().stream().map(Manifest::toLine).toList());
    Path target = root.resolve(moved.file());
    Files.createDirectories(target.getParent());
    AtomicFiles.move(root.resolve(e.file()), target);
  }

  /** Writes the report file atomically. */
  void writeReport(CrawlReport report) throws IOException {
    String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    writeAtomically(root.resolve(REPORT_FILE), List.of(json));
  }

  private static String otherSplit(String split) {
    return Splitter.TEST.equals(split) ? Splitter.TRAIN : Splitter.TEST;
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  private static void writeAtomically(Path file, List<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    AtomicFiles.replace(file, tmp -> {
      // Written and flushed to disk before the rename, so that the new name never points at a half-written file.
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(sb.toString());
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
    });
  }

  private static String toJson(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hex(long bits) {
    return String.format("%016x", bits);
  }
}
