package imgsearch.crawl.clean;

import imgsearch.descriptor.PerceptualHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kept images of the whole collection, by content hash and by perceptual hash, so that a new candidate
 * can be checked against every class. The first keeper wins: later look-alikes are duplicates of it.
 */
public final class DuplicateIndex {

  /** A kept image. */
  public record Entry(String id, String label, long phash) {}

  /** A kept image near a probe, with its distance. */
  public record Match(Entry entry, int distance) {}

  private final Map<String, String> bySha = new HashMap<>();
  private final List<Entry> entries = new ArrayList<>();

  /** Records a kept image under each of its content hashes (e.g. of the original and of the stored file). */
  public synchronized void add(Entry entry, String... sha256s) {
    entries.add(entry);
    for (String sha : sha256s) {
      if (sha != null) {
        bySha.putIfAbsent(sha, entry.id());
      }
    }
  }

  /** The id of the kept image with exactly this content hash. */
  public synchronized Optional<String> exact(String sha256) {
    return Optional.ofNullable(bySha.get(sha256));
  }

  /** Kept images within {@code maxDistance} bits of {@code phash}, nearest first, earliest kept first on ties. */
  public synchronized List<Match> near(long phash, int maxDistance) {
    List<Match> out = new ArrayList<>();
    for (Entry e : entries) {
      int d = PerceptualHash.distance(phash, e.phash());
      if (d <= maxDistance) {
        out.add(new Match(e, d));
      }
    }
    out.sort(Comparator.comparingInt(Match::distance)); // stable: insertion order within a distance
    return out;
  }

  public synchronized int size() {
    return entries.size();
  }
}
