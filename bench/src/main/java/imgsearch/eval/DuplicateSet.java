package imgsearch.eval;

import imgsearch.duplicates.DuplicateGroup;
import imgsearch.duplicates.DuplicateImage;
import imgsearch.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder of photos with known near-duplicate groups, for measuring {@code imgsearch duplicates}: every
 * sub-folder holds one picture's near-duplicates (its {@code original.*} and copies or edits of it), and every
 * file in {@code singles/} (or directly in the folder) is a picture with no duplicate. A file's name without
 * extension and trailing digits says what kind of edit it is ({@code crop90}, {@code burst1} -> {@code burst}).
 * {@link #of(PhotoNearDuplicateSet, String)} reads the real-photo near-duplicate set instead.
 *
 * <p>{@link #score} compares found groups with the truth pair by pair: two images are a pair when they are in
 * one group.
 */
public final class DuplicateSet {

  /** The folder whose files are pictures with no duplicate. */
  public static final String SINGLES = "singles";
  /** The edit kind of the file every other file of its group was made from. */
  public static final String ORIGINAL = "original";

  private final Path root;
  /** Group of each image (a single's group is its own path), by absolute path. */
  private final Map<String, String> groupOf;
  private final Map<String, String> kindOf;
  private final long truePairs;

  private DuplicateSet(Path root, Map<String, String> groupOf, Map<String, String> kindOf) {
    this.root = root;
    this.groupOf = groupOf;
    this.kindOf = kindOf;
    Map<String, Integer> sizes = new TreeMap<>();
    groupOf.values().forEach(g -> sizes.merge(g, 1, Integer::sum));
    this.truePairs = sizes.values().stream().mapToLong(n -> (long) n * (n - 1) / 2).sum();
  }

  /** Reads the layout of {@code dir}. */
  public static DuplicateSet read(Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(dir + " is not a folder");
    }
    Map<String, String> groupOf = new TreeMap<>();
    Map<String, String> kindOf = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).filter(ImageFiles::hasImageExtension).sorted().toList()) {
        Path rel = root.relativize(f);
        boolean single = rel.getNameCount() == 1 || rel.getName(0).toString().equals(SINGLES);
        groupOf.put(f.toString(), single ? "single:" + rel : rel.getName(0).toString());
        kindOf.put(f.toString(), kind(f));
      }
    }
    if (groupOf.isEmpty()) {
      throw new IllegalArgumentException("there are no images under " + dir);
    }
    return new DuplicateSet(root, groupOf, kindOf);
  }

  /**
   * One part of the real-photo near-duplicate set ({@link PhotoNearDuplicateSet}, the one
   * {@code imgsearch bench near-duplicates} builds): the part's originals with their queries (edits and other
   * published versions), and every distractor (some with a grey copy). The images of one picture are one
   * group; a picture with one image is a single. The set's other part is not in it (ignored when scoring).
   *
   * @param part {@link PhotoNearDuplicateSet#TUNE} or {@link PhotoNearDuplicateSet#HELD_OUT}
   */
  public static DuplicateSet of(PhotoNearDuplicateSet set, String part) {
    if (!part.equals(PhotoNearDuplicateSet.TUNE) && !part.equals(PhotoNearDuplicateSet.HELD_OUT)) {
      throw new IllegalArgumentException("the part is " + PhotoNearDuplicateSet.TUNE + " or "
          + PhotoNearDuplicateSet.HELD_OUT + ", was '" + part + "'");
    }
    List<PhotoNearDuplicateSet.Item> items = set.items().stream()
        .filter(i -> i.role().equals(PhotoNearDuplicateSet.DISTRACTOR) || part.equals(i.part())).toList();
    Map<String, Integer> sizes = new TreeMap<>();
    items.forEach(i -> sizes.merge(i.picture(), 1, Integer::sum));
    Map<String, String> groupOf = new TreeMap<>();
    Map<String, String> kindOf = new TreeMap<>();
    for (PhotoNearDuplicateSet.Item i : items) {
      String path = set.path(i).toAbsolutePath().normalize().toString();
      groupOf.put(path, sizes.get(i.picture()) > 1 ? i.picture() : "single:" + i.file());
      kindOf.put(path, i.edit() == null ? ORIGINAL : i.edit());
    }
    return new DuplicateSet(set.dir().toAbsolutePath().normalize(), groupOf, kindOf);
  }

  /** The edit kind a file name stands for: {@code burst2.jpg} -> {@code burst}. */
  static String kind(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
    String kind = stem.replaceFirst("[-_]?\\d+$", "");
    return kind.isEmpty() ? stem : kind;
  }

  public Path root() {
    return root;
  }

  /** Images in the set. */
  public int images() {
    return groupOf.size();
  }

  /** Groups with at least two images. */
  public int groups() {
    Map<String, Integer> sizes = new TreeMap<>();
    groupOf.values().forEach(g -> sizes.merge(g, 1, Integer::sum));
    return (int) sizes.values().stream().filter(n -> n > 1).count();
  }

  /** Images without a duplicate. */
  public int singles() {
    return (int) groupOf.values().stream().filter(g -> g.startsWith("single:")).count();
  }

  /** Pairs of images that are near-duplicates of each other. */
  public long truePairs() {
    return truePairs;
  }

  /** Whether the image at this path belongs to the set. */
  public boolean contains(String path) {
    return groupOf.containsKey(path);
  }

  /**
   * How found groups compare with the truth.
   *
   * @param found pairs found (two images in one found group)
   * @param correct of those, pairs that are near-duplicates in truth
   * @param truePairs pairs in truth
   * @param recallByKind for each edit kind, the share of (original, edit) pairs found
   * @param wrongPairs found pairs that are not near-duplicates, as two paths relative to the set
   */
  public record Score(long found, long correct, long truePairs, Map<String, Double> recallByKind,
      List<String> wrongPairs) {

    public double precision() {
      return found == 0 ? 1 : (double) correct / found;
    }

    public double recall() {
      return truePairs == 0 ? 1 : (double) correct / truePairs;
    }

    public double f1() {
      double p = precision(), r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  /** Scores {@code groups}; images not in the set are ignored. */
  public Score score(List<DuplicateGroup> groups) {
    long found = 0;
    long correct = 0;
    Map<String, long[]> byKind = new TreeMap<>(); // kind -> {found, total}
    java.util.Set<String> withOriginal = new java.util.HashSet<>();
    groupOf.forEach((path, group) -> {
      if (kindOf.get(path).equals(ORIGINAL)) {
        withOriginal.add(group);
      }
    });
    for (String path : groupOf.keySet()) {
      String kind = kindOf.get(path);
      if (!kind.equals(ORIGINAL) && withOriginal.contains(groupOf.get(path))) {
        byKind.computeIfAbsent(kind, k -> new long[2])[1]++;
      }
    }
    List<String> wrong = new ArrayList<>();
    for (DuplicateGroup g : groups) {
      List<String> members = g.images().stream().map(DuplicateImage::image).map(r -> r.path())
          .filter(groupOf::containsKey).toList();
      for (int i = 0; i < members.size(); i++) {
        for (int j = i + 1; j < members.size(); j++) {
          String a = members.get(i);
          String b = members.get(j);
          found++;
          if (groupOf.get(a).equals(groupOf.get(b))) {
            correct++;
            String ka = kindOf.get(a);
            String kb = kindOf.get(b);
            if (ka.equals(ORIGINAL) != kb.equals(ORIGINAL) && withOriginal.contains(groupOf.get(a))) {
              byKind.get(ka.equals(ORIGINAL) ? kb : ka)[0]++;
            }
          } else {
            wrong.add(root.relativize(Path.of(a)) + " ~ " + root.relativize(Path.of(b)));
          }
        }
      }
    }
    Map<String, Double> recallByKind = new TreeMap<>();
    byKind.forEach((k, v) -> recallByKind.put(k, v[1] == 0 ? 1 : (double) v[0] / v[1]));
    Collections.sort(wrong);
    return new Score(found, correct, truePairs, recallByKind, wrong);
  }
}
