package imgsearch.testing;

import imgsearch.eval.NearDuplicateSet;
import imgsearch.eval.NearDuplicateSet.Transformation;
import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small photo folder with known near-duplicates, for the tests of {@code duplicates} in every module (it
 * ships in the imgsearch-shared test-jar). Three pictures come with copies and edits; six unrelated pictures
 * have none. Generated scenes (see {@link NearDuplicateSet#scene}), so the same files on every run; the
 * modification times are set, so "oldest" is known too.
 *
 * <ul>
 *   <li>{@code beach}: the original (2019), a byte-for-byte copy in {@code backup/} (2024) and a half-size
 *       export. Keeper: the original, the oldest of the two full-size files that are equal in size.
 *   <li>{@code street}: the original, a centre crop (80%) and a copy recompressed at JPEG quality 25. Keeper:
 *       the original, the larger of the two full-resolution files.
 *   <li>{@code still}: the original at 480 x 320, a 30% brighter copy and a mirrored copy at 360 x 240.
 *       Keeper: the original, the largest resolution.
 * </ul>
 *
 * <p>The perceptual hash sees the copy, the export, the recompressed and the brighter copies as the same
 * picture, not the crop or the mirror image.
 */
public final class DuplicateCollection {

  /** File names (relative to the folder, with {@code /}) of each group, the expected keeper first. */
  public static final Map<String, List<String>> GROUPS = groups();
  /** Members each group keeps under the perceptual hash's rule, keeper first. */
  public static final Map<String, List<String>> HASH_GROUPS = Map.of(
      "beach", List.of("holiday/beach.jpg", "backup/beach.jpg", "export/beach-small.jpg"),
      "street", List.of("holiday/street.jpg", "export/street-q25.jpg"),
      "still", List.of("holiday/still.jpg", "edits/still-bright.jpg"));
  /** Pictures with no duplicate. */
  public static final List<String> UNRELATED = List.of("misc/other-0.jpg", "misc/other-1.jpg", "misc/other-2.jpg",
      "misc/other-3.jpg", "misc/other-4.jpg", "misc/other-5.jpg");

  private DuplicateCollection() {}

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> g = new LinkedHashMap<>();
    g.put("beach", List.of("holiday/beach.jpg", "backup/beach.jpg", "export/beach-small.jpg"));
    g.put("street", List.of("holiday/street.jpg", "export/street-q25.jpg", "export/street-crop.jpg"));
    g.put("still", List.of("holiday/still.jpg", "edits/still-mirror.jpg", "edits/still-bright.jpg"));
    return g;
  }

  /** The groups as sets of file names, as a test compares found groups regardless of order. */
  public static Set<Set<String>> groupSets() {
    Set<Set<String>> sets = new java.util.HashSet<>();
    GROUPS.values().forEach(g -> sets.add(Set.copyOf(g)));
    return sets;
  }

  /** Every file name, groups first. */
  public static Set<String> files() {
    Set<String> all = new java.util.LinkedHashSet<>();
    GROUPS.values().forEach(all::addAll);
    all.addAll(UNRELATED);
    return all;
  }

  /** Writes the collection into {@code dir} and returns it. */
  public static Path write(Path dir) {
    try {
      Random random = new Random(14);
      BufferedImage beach = scene(101);
      write(dir, "holiday/beach.jpg", TestImages.jpeg(beach, 0.95f), 2019);
      Files.createDirectories(dir.resolve("backup"));
      Files.copy(dir.resolve("holiday/beach.jpg"), dir.resolve("backup/beach.jpg"));
      touch(dir.resolve("backup/beach.jpg"), 2024);
      write(dir, "export/beach-small.jpg", TestImages.jpeg(Transformation.DOWNSCALE.apply(beach, random), 0.85f), 2021);

      BufferedImage street = scene(202);
      write(dir, "holiday/street.jpg", TestImages.jpeg(street, 0.92f), 2020);
      write(dir, "export/street-crop.jpg", TestImages.jpeg(Transformation.CROP_CENTRE.apply(street, random), 0.92f),
          2020);
      write(dir, "export/street-q25.jpg", TestImages.jpeg(street, 0.25f), 2018);

      BufferedImage still = ImageScaling.resize(scene(303), 480, 320);
      BufferedImage smaller = ImageScaling.resize(still, 360, 240);
      write(dir, "holiday/still.jpg", TestImages.jpeg(still, 0.92f), 2022);
      write(dir, "edits/still-bright.jpg", TestImages.jpeg(Transformation.BRIGHTER.apply(smaller, random), 0.9f), 2021);
      write(dir, "edits/still-mirror.jpg", TestImages.jpeg(Transformation.FLIP.apply(smaller, random), 0.9f), 2023);

      for (int i = 0; i < UNRELATED.size(); i++) {
        write(dir, UNRELATED.get(i), TestImages.jpeg(scene(1000 + 97L * i), 0.9f), 2020);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A generated photo-like scene of about 360 x 240. */
  private static BufferedImage scene(long seed) {
    return ImageScaling.resize(NearDuplicateSet.scene(seed, seed), 360, 240);
  }

  private static void write(Path dir, String name, byte[] bytes, int year) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    touch(file, year);
  }

  private static void touch(Path file, int year) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse(year + "-06-01T12:00:00Z")));
  }
}
