package imgsearch.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.eval.PhotoSources.Picture;
import imgsearch.file.AtomicFiles;
import imgsearch.file.FileTrees;
import imgsearch.file.Sha256;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageInfo;
import imgsearch.image.ImageScaling;
import imgsearch.image.JpegEncoder;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A near-duplicate evaluation set made of real pictures from Debian packages (see {@link PhotoSources}),
 * written to a folder so that any tool (the benchmark, a duplicate-grouping threshold study, a person
 * with an image viewer) can use it:
 *
 * <pre>
 *   DIR/set.json         how it was built: builder version, seed, sources, counts
 *   DIR/manifest.jsonl   one line per image file: file, role, picture, part, edit, original, source
 *   DIR/db/...           the database: originals and distractors (index this folder)
 *   DIR/queries/...      edited copies of the originals and their other published versions
 * </pre>
 *
 * <p>Every original is stored once, at most 1024 px on its longer side (JPEG quality 92), and queried
 * under every {@link PhotoEdit}; its other published versions never enter the database, so each query
 * has exactly one right answer there. Distractors are the remaining pictures (other wallpapers and
 * photos of the same kinds, OpenCV's sample photos with their several shots of one scene and their
 * greyscale photos) plus greyscale copies of a third of them, so that a grey query meets other grey images.
 *
 * <p>Ground truth for any pair of files: same {@code picture} means same picture (originals, their
 * queries, and a distractor with its grey copy). Originals and their queries are split by picture into
 * a {@code tune} and a {@code held-out} part with a fixed hash of the picture's name, independent of the
 * seed and of which packages are installed: tune on one, report both, never tune on the held-out part.
 * The seed only picks the edits' details (crop corner, stretch axis...) and which single-version
 * pictures are originals. The same packages, seed and JDK give the same files.
 */
public final class PhotoNearDuplicateSet {

  /** Bump when the same inputs would give different files. */
  public static final int BUILDER_VERSION = 1;
  /** Longer side of database images and of the images queries are made from. */
  public static final int WORKING_SIZE = 1024;
  public static final String TUNE = "tune";
  public static final String HELD_OUT = "held-out";
  public static final String ORIGINAL = "original";
  public static final String DISTRACTOR = "distractor";
  public static final String QUERY = "query";

  /** Fewer originals or distractors than this make no set (the packages are missing). */
  private static final int MIN_PICTURES = 5;
  /** Pictures smaller than this on their longer side are not used as originals. */
  private static final int MIN_ORIGINAL_SIDE = 640;
  /** Smaller pictures are left out altogether (icons, logos, test patterns). */
  private static final int MIN_SIDE = 200;
  /** Standard deviation of luma (0..255) below which a picture counts as blank. */
  private static final double MIN_LUMA_SPREAD = 6;
  /** Aspect ratios differing by less than this factor count as the same cut. */
  private static final double OTHER_ASPECT = 1.10;
  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /**
   * One image file of the set.
   *
   * @param file path relative to the set's folder, e.g. {@code db/plasma-Autumn.jpg}
   * @param role {@code original}, {@code distractor} or {@code query}
   * @param picture the picture it shows: equal for an original and its queries
   * @param part {@code tune} or {@code held-out} for originals and queries, null for distractors
   * @param edit the {@link PhotoEdit} id for queries and grey distractors, else null
   * @param original for queries, the file of the original (the one right answer), else null
   * @param source the Debian-installed file it was made from
   */
  public record Item(String file, String role, String picture, String part, String edit, String original, String source) {}

  private final Path dir;
  private final Map<String, Object> info;
  private final List<Item> items;

  private PhotoNearDuplicateSet(Path dir, Map<String, Object> info, List<Item> items) {
    this.dir = dir;
    this.info = Map.copyOf(info);
    this.items = List.copyOf(items);
  }

  /** The set's folder. */
  public Path dir() {
    return dir;
  }

  /** The folder to index: originals and distractors. */
  public Path databaseDir() {
    return dir.resolve("db");
  }

  /** What set.json says: builder version, seed, counts. */
  public Map<String, Object> info() {
    return info;
  }

  public long seed() {
    return ((Number) info.get("seed")).longValue();
  }

  /** Every file, database first. */
  public List<Item> items() {
    return items;
  }

  /** Originals and distractors. */
  public List<Item> database() {
    return items.stream().filter(i -> !i.role().equals(QUERY)).toList();
  }

  /** Queries, by part then picture then edit order. */
  public List<Item> queries() {
    return items.stream().filter(i -> i.role().equals(QUERY)).toList();
  }

  /** Absolute path of an item's file. */
  public Path path(Item item) {
    return dir.resolve(item.file());
  }

  /** Loads a set written by {@link #build}. */
  public static PhotoNearDuplicateSet load(Path dir) throws IOException {
    Path setJson = dir.resolve("set.json");
    if (!Files.isRegularFile(setJson)) {
      throw new IOException(dir + " holds no near-duplicate set (no set.json)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> info = JSON.readValue(setJson.toFile(), Map.class);
    List<Item> items = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("manifest.jsonl"), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        items.add(JSON.readValue(line, Item.class));
      }
    }
    return new PhotoNearDuplicateSet(dir, info, items);
  }

  /**
   * The set in {@code dir} when it was built by this builder version with this seed; otherwise builds it
   * there (replacing what was there) from the pictures under {@code sharedRoot}.
   */
  public static PhotoNearDuplicateSet loadOrBuild(Path dir, Path sharedRoot, long seed, Consumer<String> log)
      throws IOException {
    if (Files.isRegularFile(dir.resolve("set.json"))) {
      PhotoNearDuplicateSet set = load(dir);
      if (set.seed() == seed && ((Number) set.info().get("builderVersion")).intValue() == BUILDER_VERSION) {
        return set;
      }
      log.accept(dir + " holds a set of another seed or builder version: rebuilding it");
    }
    return build(sharedRoot, dir, seed, log);
  }

  /**
   * Builds the set into {@code dir} from the pictures under {@code sharedRoot} (normally {@code /usr/share}).
   * The files are written to a sibling folder first and moved into place at the end, so an interrupted
   * build never leaves a set that looks complete.
   *
   * @throws IOException when too few pictures are installed (the message names the packages)
   */
  public static PhotoNearDuplicateSet build(Path sharedRoot, Path dir, long seed, Consumer<String> log) throws IOException {
    List<Picture> pictures = PhotoSources.find(sharedRoot);
    ImageDecoder decoder = new ImageDecoder();
    List<Candidate> candidates = pictures.parallelStream().map(p -> Candidate.of(p, decoder))
        .filter(c -> c != null).toList();
    // Originals: every picture with another cut, and a seeded half of the other large enough ones.
    List<Candidate> originals = new ArrayList<>();
    List<Candidate> distractors = new ArrayList<>();
    for (Candidate c : candidates) {
      Random r = new Random(mix(seed, c.picture.id().hashCode()));
      boolean eligible = !c.picture.distractorOnly() && c.longSide() >= MIN_ORIGINAL_SIDE;
      if (eligible && (c.otherVersions.size() > 0 || r.nextBoolean())) {
        originals.add(c);
      } else {
        distractors.add(c);
      }
    }
    if (originals.size() < MIN_PICTURES || distractors.size() < MIN_PICTURES) {
      throw new IOException("too few pictures under " + sharedRoot + " (" + originals.size() + " originals, "
          + distractors.size() + " distractors); install them: apt-get install " + String.join(" ", PhotoSources.PACKAGES));
    }
    log.accept(String.format("building a near-duplicate set from %d pictures (%d originals, %d distractors) into %s",
        candidates.size(), originals.size(), distractors.size(), dir));
    Path tmp = dir.resolveSibling(dir.getFileName() + ".building");
    FileTrees.delete(tmp);
    Files.createDirectories(tmp.resolve("db"));
    Files.createDirectories(tmp.resolve("queries"));
    List<List<Item>> made = new ArrayList<>();
    List<Runnable> jobs = new ArrayList<>();
    for (Candidate c : originals) {
      List<Item> out = new ArrayList<>();
      made.add(out);
      jobs.add(() -> out.addAll(writeOriginal(c, tmp, seed, decoder)));
    }
    for (Candidate c : distractors) {
      List<Item> out = new ArrayList<>();
      made.add(out);
      jobs.add(() -> out.addAll(writeDistractor(c, tmp, seed, decoder)));
    }
    jobs.parallelStream().forEach(Runnable::run);
    List<Item> items = new ArrayList<>();
    made.forEach(items::addAll);
    items.sort(Comparator.comparing((Item i) -> i.role().equals(QUERY)).thenComparing(i -> i.part() == null ? "" : i.part())
        .thenComparing(Item::file));

    try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve("manifest.jsonl"), StandardCharsets.UTF_8)) {
      for (Item i : items) {
        w.write(JSON.writeValueAsString(i));
        w.write('\n');
      }
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("builderVersion", BUILDER_VERSION);
    info.put("seed", seed);
    info.put("sharedRoot", sharedRoot.toString());
    info.put("packages", PhotoSources.PACKAGES);
    info.put("originals", originals.size());
    info.put("database", items.stream().filter(i -> !i.role().equals(QUERY)).count());
    info.put("queriesTune", items.stream().filter(i -> TUNE.equals(i.part()) && i.role().equals(QUERY)).count());
    info.put("queriesHeldOut", items.stream().filter(i -> HELD_OUT.equals(i.part()) && i.role().equals(QUERY)).count());
    info.put("edits", Stream.of(PhotoEdit.values()).map(PhotoEdit::id).toList());
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve("set.json").toFile(), info);
    FileTrees.delete(dir);
    Files.createDirectories(dir.toAbsolutePath().getParent());
    AtomicFiles.move(tmp, dir);
    return load(dir);
  }

  /** A picture with its database version (the largest) and the versions of another aspect ratio. */
  private record Candidate(Picture picture, Path main, int width, int height, List<Path> otherVersions) {
    int longSide() {
      return Math.max(width, height);
    }

    static Candidate of(Picture p, ImageDecoder decoder) {
      Path best = null;
      ImageInfo bestInfo = null;
      Map<Path, ImageInfo> infos = new LinkedHashMap<>();
      for (Path f : p.versions()) {
        try {
          ImageInfo info = decoder.probe(f);
          if (Math.min(info.width(), info.height()) < MIN_SIDE) {
            continue;
          }
          infos.put(f, info);
          if (bestInfo == null || (long) info.width() * info.height() > (long) bestInfo.width() * bestInfo.height()) {
            best = f;
            bestInfo = info;
          }
        } catch (ImageDecodeException e) {
          // not a usable version
        }
      }
      if (best == null || blank(decode(decoder, best))) {
        return null;
      }
      double aspect = (double) bestInfo.width() / bestInfo.height();
      List<Path> others = new ArrayList<>();
      infos.forEach((f, info) -> {
        double a = (double) info.width() / info.height();
        if (Math.max(a / aspect, aspect / a) >= OTHER_ASPECT && Math.max(info.width(), info.height()) >= 480) {
          others.add(f);
        }
      });
      return new Candidate(p, best, bestInfo.width(), bestInfo.height(), others);
    }
  }

  /**
   * Whether a picture is (nearly) one flat colour: some wallpapers are transparent overlays that decode
   * to white, which no one would search for.
   */
  static boolean blank(BufferedImage image) {
    float[] luma = ImageScaling.luma(ImageScaling.rgb(ImageScaling.resize(image, 64, 64)));
    double mean = 0, var = 0;
    for (float v : luma) {
      mean += v;
    }
    mean /= luma.length;
    for (float v : luma) {
      var += (v - mean) * (v - mean);
    }
    return Math.sqrt(var / luma.length) < MIN_LUMA_SPREAD;
  }

  private static List<Item> writeOriginal(Candidate c, Path out, long seed, ImageDecoder decoder) {
    String slug = slug(c.picture.id());
    String part = partOf(c.picture.id());
    BufferedImage original = working(decode(decoder, c.main));
    String dbFile = "db/" + slug + ".jpg";
    writeJpeg(original, out.resolve(dbFile), 0.92f);
    List<Item> items = new ArrayList<>();
    items.add(new Item(dbFile, ORIGINAL, c.picture.id(), part, null, null, c.main.toString()));
    for (PhotoEdit edit : PhotoEdit.values()) {
      Random random = new Random(mix(mix(seed, c.picture.id().hashCode()), edit.ordinal()));
      BufferedImage query;
      Path source = c.main;
      if (edit == PhotoEdit.OTHER_VERSION) {
        if (c.otherVersions.isEmpty()) {
          continue;
        }
        source = c.otherVersions.get(random.nextInt(c.otherVersions.size()));
        query = working(decode(decoder, source));
      } else {
        query = edit.apply(original, random);
      }
      String file = "queries/" + part + "/" + slug + "__" + edit.id() + ".jpg";
      // the JPEG edit is its own encoding; everything else is saved as a camera or an editor would
      writeJpeg(query, out.resolve(file), edit == PhotoEdit.JPEG ? 0.15f : 0.9f);
      items.add(new Item(file, QUERY, c.picture.id(), part, edit.id(), dbFile, source.toString()));
    }
    return items;
  }

  private static List<Item> writeDistractor(Candidate c, Path out, long seed, ImageDecoder decoder) {
    String slug = slug(c.picture.id());
    BufferedImage image = working(decode(decoder, c.main));
    String file = "db/" + slug + ".jpg";
    writeJpeg(image, out.resolve(file), 0.92f);
    List<Item> items = new ArrayList<>();
    items.add(new Item(file, DISTRACTOR, c.picture.id(), null, null, null, c.main.toString()));
    if (new Random(mix(seed ^ 0x6A09E667F3BCC909L, c.picture.id().hashCode())).nextInt(3) == 0) {
      String grey = "db/" + slug + "__grey.jpg";
      writeJpeg(ImageScaling.toGrey(image), out.resolve(grey), 0.92f);
      items.add(new Item(grey, DISTRACTOR, c.picture.id(), null, PhotoEdit.GREY.id(), null, c.main.toString()));
    }
    return items;
  }

  /** {@code tune} or {@code held-out}, from a fixed hash of the picture's name. */
  static String partOf(String pictureId) {
    byte[] h = Sha256.digest("imgsearch near-duplicates/" + pictureId);
    return (h[0] & 1) == 0 ? TUNE : HELD_OUT;
  }

  private static String slug(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]+", "-");
  }

  private static BufferedImage decode(ImageDecoder decoder, Path f) {
    try {
      return decoder.decode(f).image();
    } catch (ImageDecodeException e) {
      throw new UncheckedIOException(new IOException(f + ": " + e.getMessage(), e));
    }
  }

  /** At most {@link #WORKING_SIZE} on the longer side, area-averaged. */
  private static BufferedImage working(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight(), longSide = Math.max(w, h);
    if (longSide <= WORKING_SIZE) {
      return ImageScaling.toRgb(image);
    }
    double f = (double) WORKING_SIZE / longSide;
    return ImageScaling.resize(image, Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f)));
  }

  static void writeJpeg(BufferedImage image, Path file, float quality) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, JpegEncoder.encode(image, quality));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long mix(long a, long b) {
    return NearDuplicateSet.mix(a, b);
  }
}
