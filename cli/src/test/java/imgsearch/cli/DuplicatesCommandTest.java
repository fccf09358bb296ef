package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.testing.DuplicateCollection;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imgsearch duplicates} as a user runs it: after {@code index}, on the real files. */
class DuplicatesCommandTest {

  static final String DEFAULT = DuplicateMeasure.EDGE_COLOUR.format(DuplicateMeasure.EDGE_COLOUR_DEFAULT);

  @TempDir static Path tmp;
  static Path photos;
  static String index;

  @BeforeAll
  static void indexTheCollection() {
    photos = DuplicateCollection.write(tmp.resolve("photos"));
    index = tmp.resolve("index").toString();
    CliRun r = CliRun.of("index", photos.toString(), "--index", index, "--descriptors", "edge-colour,phash");
    assertEquals(0, r.exit(), r.all());
  }

  @Test
  void printsEachGroupWithItsKeeperFirstAndTouchesNoFile() throws IOException {
    Map<Path, Long> before = files(photos);
    CliRun r = CliRun.of("duplicates", "--index", index);
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("by edge-colour v3 vectors, similarity >= " + DEFAULT + " (the default)"), r.out());
    assertTrue(r.out().contains("15 images compared"), r.out());
    assertTrue(r.out().contains("3 groups, 6 images could go"), r.out());
    assertTrue(r.out().contains("Nothing was deleted or moved."), r.out());
    for (List<String> group : DuplicateCollection.GROUPS.values()) {
      String keeperLine = r.out().lines().filter(l -> l.endsWith(photos.resolve(group.get(0)).toString()))
          .findFirst().orElseThrow(() -> new AssertionError(group.get(0) + " is not listed:\n" + r.out()));
      assertTrue(keeperLine.trim().startsWith("KEEP"), keeperLine);
      for (String other : group.subList(1, group.size())) {
        assertTrue(r.out().contains(photos.resolve(other).toString()), other + " is listed:\n" + r.out());
      }
    }
    assertTrue(r.out().contains("keep the largest resolution"), r.out());
    assertTrue(r.out().contains("2019-06-01"), "dates are shown: " + r.out());
    assertTrue(r.out().contains("480x320"), "resolutions are shown: " + r.out());
    for (String unrelated : DuplicateCollection.UNRELATED) {
      assertFalse(r.out().contains(unrelated), unrelated + " has no duplicate");
    }
    assertEquals(before, files(photos), "duplicates never deletes, moves or changes a file");
  }

  @Test
  void jsonForScripts() throws IOException {
    CliRun r = CliRun.of("duplicates", "--index", index, "--json");
    assertEquals(0, r.exit(), r.all());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals("edge-colour", json.get("descriptor").asText());
    assertEquals("dot", json.get("metric").asText());
    assertEquals(DuplicateMeasure.EDGE_COLOUR_DEFAULT, json.get("threshold").asDouble());
    assertEquals(3, json.get("groupCount").asInt());
    assertEquals(6, json.get("redundantImages").asInt());
    Set<Set<String>> groups = new HashSet<>();
    for (JsonNode g : json.get("groups")) {
      JsonNode images = g.get("images");
      assertTrue(images.get(0).get("keep").asBoolean());
      assertTrue(images.get(0).get("score").isNull());
      Set<String> members = new HashSet<>();
      for (JsonNode image : images) {
        members.add(photos.relativize(Path.of(image.get("path").asText())).toString());
        assertTrue(image.get("width").asInt() > 0 && image.get("sizeBytes").asLong() > 0);
        assertTrue(image.get("modified").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), image.toString());
      }
      groups.add(members);
    }
    assertEquals(DuplicateCollection.groupSets(), groups);
  }

  @Test
  void theCrawlersHashRuleIsAMode() {
    CliRun r = CliRun.of("duplicates", "--index", index, "--descriptor", "phash", "--json");
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("\"groupCount\" : 3"), r.out());
    assertTrue(r.out().contains("\"threshold\" : 6.0"), r.out());
    CliRun text = CliRun.of("duplicates", "--index", index, "--descriptor", "phash", "--threshold", "0");
    assertEquals(0, text.exit(), text.all());
    assertTrue(text.out().contains("at most 0 differing bits of 64"), text.out());
    assertTrue(text.out().contains("3 groups, 3 images could go"), "pairs with identical hashes: " + text.out());
  }

  @Test
  void usageErrorsExitWithTwo() {
    for (String[] args : List.of(new String[] {"--threshold", "1.5"}, new String[] {"--threshold", "abc"},
        new String[] {"--descriptor", "pixels"}, new String[] {"--descriptor", "phash", "--threshold", "6.5"},
        new String[] {"--threads", "0"})) {
      List<String> all = new ArrayList<>(List.of("duplicates", "--index", index));
      all.addAll(List.of(args));
      CliRun r = CliRun.of(all.toArray(String[]::new));
      assertEquals(2, r.exit(), r.all());
    }
    assertEquals(0, CliRun.of("duplicates", "--help").exit());
    assertTrue(CliRun.of("duplicates", "--help").out().replaceAll("\\s+", " ").contains("Never deletes or moves anything"));
  }

  @Test
  void aMissingIndexOrDescriptorIsOneLineThatSaysWhatToRun() throws IOException {
    CliRun missing = CliRun.of("duplicates", "--index", tmp.resolve("nowhere").toString());
    assertEquals(1, missing.exit(), missing.all());
    assertEquals(1, missing.complaints().size(), missing.all());
    assertTrue(missing.err().contains("imgsearch index DIR"), missing.err());

    Path hsvOnly = tmp.resolve("hsv-index");
    assertEquals(0, CliRun.of("index", photos.toString(), "--index", hsvOnly.toString(), "--descriptors", "hsv-hist")
        .exit());
    CliRun noVectors = CliRun.of("duplicates", "--index", hsvOnly.toString());
    assertEquals(1, noVectors.exit(), noVectors.all());
    assertEquals(1, noVectors.complaints().size(), noVectors.all());
    assertTrue(noVectors.err().contains("--descriptors edge-colour"), noVectors.err());
  }

  @Test
  void emptyAndOneImageIndexes() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("no-photos"));
    String emptyIndex = tmp.resolve("empty-index").toString();
    assertEquals(0, CliRun.of("index", empty.toString(), "--index", emptyIndex).exit());
    CliRun r = CliRun.of("duplicates", "--index", emptyIndex);
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("0 images compared") || r.out().contains("is empty"), r.out());
    CliRun json = CliRun.of("duplicates", "--index", emptyIndex, "--json");
    assertEquals(0, new ObjectMapper().readTree(json.out()).get("groupCount").asInt(), json.all());

    Path one = Files.createDirectories(tmp.resolve("one-photo"));
    TestImages.write(one, "only.jpg", TestImages.jpeg(TestImages.photoLike(9, 160, 120), 0.9f));
    String oneIndex = tmp.resolve("one-index").toString();
    assertEquals(0, CliRun.of("index", one.toString(), "--index", oneIndex).exit());
    CliRun single = CliRun.of("duplicates", "--index", oneIndex);
    assertEquals(0, single.exit(), single.all());
    assertTrue(single.out().contains("1 image compared"), single.out());
    assertTrue(single.out().contains("0 groups"), single.out());
  }

  private static Map<Path, Long> files(Path dir) throws IOException {
    Map<Path, Long> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(p, Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }
}
