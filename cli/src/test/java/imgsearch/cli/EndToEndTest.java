package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated photos in a train/test layout, through the real command line: index, search, eval. */
class EndToEndTest {

  @TempDir static Path tmp;
  static Path data;
  static Path index;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Each class is a colour cast over varied scenes, so colour descriptors can tell the classes apart. */
  static BufferedImage tinted(long seed, int rgb) {
    BufferedImage img = TestImages.photoLike(seed, 96, 72);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int r = (((p >> 16) & 255) + 3 * ((rgb >> 16) & 255)) / 4;
        int g = (((p >> 8) & 255) + 3 * ((rgb >> 8) & 255)) / 4;
        int b = ((p & 255) + 3 * (rgb & 255)) / 4;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  @BeforeAll
  static void indexCollection() throws IOException {
    data = tmp.resolve("data");
    index = tmp.resolve("index");
    int[] colours = {0xd03020, 0x2050d0, 0x30a040};
    String[] classes = {"red", "blue", "green"};
    for (int c = 0; c < classes.length; c++) {
      for (int i = 0; i < 10; i++) {
        String split = i < 7 ? "train" : "test";
        Path dir = Files.createDirectories(data.resolve(split).resolve(classes[c]));
        TestImages.write(dir, classes[c] + i + ".jpg", TestImages.jpeg(tinted(c * 100L + i, colours[c]), 0.9f));
      }
    }
    Result r = run("index", data.toString(), "--index", index.toString(), "--pixel-size", "32");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("30 indexed"), r.out());
  }

  @Test
  void searchFindsTheSameClassFirst() throws IOException {
    Result r = run("search", "--image", data.resolve("test/blue/blue8.jpg").toString(), "--index", index.toString(),
        "--split", "train", "-k", "5", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(5, json.get("results").size());
    for (JsonNode hit : json.get("results")) {
      assertEquals("blue", hit.get("class").asText());
      assertEquals("train", hit.get("split").asText());
      assertTrue(hit.has("id") && hit.has("path") && hit.has("score") && hit.has("width"), hit.toString());
      assertTrue(!hit.has("url"), "nothing is served: no URLs");
    }
    // The web API's shape (imgsearch.search.ResultsView): the same keys.
    for (String key : List.of("descriptor", "metric", "higherIsBetter", "exact", "k", "tookMs")) {
      assertTrue(json.has(key), key + " in " + json);
    }
    assertEquals("image", json.get("query").get("type").asText());
    Result text = run("search", "--image", data.resolve("test/red/red7.jpg").toString(), "--index", index.toString(),
        "--descriptor", "pixels", "--metric", "l1", "-k", "3");
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("pixels / l1"), text.out());
    assertTrue(text.out().contains("red7.jpg"), "the query image itself is indexed and ranks first: " + text.out());
  }

  @Test
  void rerunningIndexIsIncremental() {
    Result r = run("index", data.toString(), "--index", index.toString(), "--pixel-size", "32");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("0 indexed, 30 unchanged"), r.out());
  }

  @Test
  void evalReportsPlausibleNumbersAndWritesItsFiles() throws IOException {
    Result r = run("eval", "--index", index.toString(), "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertEquals(9, report.get("queries").asInt());
    assertEquals(21, report.get("databaseImages").asInt());
    double best = 0;
    for (JsonNode method : report.get("methods")) {
      double map = method.get("overall").get("meanAveragePrecision").asDouble();
      assertTrue(map > 0 && map <= 1, method.toString());
      best = Math.max(best, map);
    }
    assertTrue(best > 0.8, "colour casts are easy to separate; best mAP was " + best);
    assertTrue(Files.size(index.resolve("eval/precision-at-k.png")) > 0);
    assertTrue(Files.readString(index.resolve("eval/report.html")).contains("<svg"));
  }

  @Test
  void badInputGivesOneLineAndTheRightExitCode() {
    Result noIndex = run("search", "--image", data.resolve("test/red/red7.jpg").toString(), "--index",
        tmp.resolve("missing").toString());
    assertEquals(1, noIndex.exit());
    assertTrue(noIndex.err().contains("imgsearch index"), noIndex.err());
    assertTrue(!noIndex.err().contains("\tat "), "no stack trace: " + noIndex.err());

    Result badMetric = run("search", "--image", data.resolve("test/red/red7.jpg").toString(), "--index",
        index.toString(), "--metric", "manhattan");
    assertEquals(2, badMetric.exit());
    assertTrue(badMetric.err().contains("unknown metric"), badMetric.err());

    Result badDescriptor = run("index", data.toString(), "--index", tmp.resolve("other").toString(),
        "--descriptors", "sift");
    assertEquals(2, badDescriptor.exit());

    assertEquals(2, run("search", "--index", index.toString()).exit(), "no query given");
    assertEquals(0, run("index", "--help").exit());
  }
}
