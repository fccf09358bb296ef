package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench knn, info and index --quantization through the real command line. */
class ScaleCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static JsonNode lastLineJson(String out) throws IOException {
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  @Test
  void benchKnnGeneratesFilesThenBuildsSearchesAndReportsOneJsonLine() throws IOException {
    Path data = tmp.resolve("knn");
    CliRun gen = CliRun.of("bench", "knn", "--generate", data.toString(), "--vectors", "3000", "--dimensions", "32",
        "--query-count", "40", "--threads", "1");
    assertEquals(0, gen.exit(), gen.all());
    for (String f : List.of("base.fvecs", "queries.fvecs", "truth.ivecs")) {
      assertTrue(Files.size(data.resolve(f)) > 0, f);
    }
    Path index = tmp.resolve("index");
    CliRun run = CliRun.of("bench", "knn", "--base", data.resolve("base.fvecs").toString(), "--queries",
        data.resolve("queries.fvecs").toString(), "--truth", data.resolve("truth.ivecs").toString(), "--index",
        index.toString(), "--threads", "1", "--quantization", "int8", "--target-recall", "0.9");
    assertEquals(0, run.exit(), run.all());
    JsonNode r = lastLineJson(run.out());
    assertEquals(3000, r.get("n").asInt());
    assertEquals(32, r.get("dim").asInt());
    assertEquals("int8", r.get("quantization").asText());
    assertTrue(r.get("recall@10").asDouble() >= 0.9, r.toString());
    assertTrue(r.get("reachedTarget").asBoolean(), r.toString());
    for (String key : List.of("buildSeconds", "qps", "heapMB", "indexMB", "candidates")) {
      assertTrue(r.get(key).isNumber(), key + " in " + r);
    }
    assertTrue(run.out().contains("candidates="), run.out());

    // The index it built is an ordinary imgsearch index: info shows the quantization it was built with.
    CliRun info = CliRun.of("info", "--index", index.toString(), "--json");
    assertEquals(0, info.exit(), info.all());
    JsonNode vectors = lastLineJson(info.out()).get("descriptors").get(0);
    assertEquals("vectors", vectors.get("name").asText());
    assertEquals("int8", vectors.get("quantization").asText());
    assertEquals(3000, vectors.get("vectors").asInt());

    // --reuse searches it again without building; a second build into it is refused.
    CliRun reuse = CliRun.of("bench", "knn", "--base", data.resolve("base.fvecs").toString(), "--queries",
        data.resolve("queries.fvecs").toString(), "--truth", data.resolve("truth.ivecs").toString(), "--index",
        index.toString(), "--reuse", "--quantization", "int8", "--candidates", "50");
    assertEquals(0, reuse.exit(), reuse.all());
    assertTrue(lastLineJson(reuse.out()).get("buildSeconds").isNull());
    CliRun again = CliRun.of("bench", "knn", "--base", data.resolve("base.fvecs").toString(), "--queries",
        data.resolve("queries.fvecs").toString(), "--truth", data.resolve("truth.ivecs").toString(), "--index",
        index.toString());
    assertEquals(1, again.exit(), again.all());
    assertTrue(again.err().contains("already holds 3000 images"), again.err());
  }

  @Test
  void indexStoresTheQuantizationInfoShowsItAndAChangeRewritesTheGraph() throws IOException {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 6; i++) {
      TestImages.write(photos, "p" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(i, 80, 60), 0.9f));
    }
    Path index = tmp.resolve("index");
    CliRun first = CliRun.of("index", photos.toString(), "--index", index.toString(), "--descriptors",
        "edge-colour,hsv-hist", "--quantization", "int4");
    assertEquals(0, first.exit(), first.all());
    CliRun info = CliRun.of("info", "--index", index.toString());
    assertEquals(0, info.exit(), info.all());
    assertTrue(info.out().contains("Images: 6"), info.out());
    assertTrue(info.out().contains("int4-quantized graph vectors"), info.out());
    assertTrue(info.out().contains("search: exact scan"), "hsv-hist has no graph: " + info.out());

    CliRun change = CliRun.of("index", photos.toString(), "--index", index.toString(), "--descriptors", "edge-colour",
        "--quantization", "edge-colour=int8", "--optimize");
    assertEquals(0, change.exit(), change.all());
    assertTrue(change.out().contains("Rewriting the edge-colour graph of 6 images from int4 to int8"), change.out());
    assertTrue(change.out().contains("0 indexed, 6 unchanged"), "nothing described again: " + change.out());
    assertTrue(change.out().contains("Merged in"), change.out());
    JsonNode edge = null;
    for (JsonNode d : lastLineJson(CliRun.of("info", "--index", index.toString(), "--json").out()).get("descriptors")) {
      if (d.get("name").asText().equals("edge-colour")) {
        edge = d;
      }
    }
    assertEquals("int8", edge.get("quantization").asText());

    CliRun bad = CliRun.of("index", photos.toString(), "--index", index.toString(), "--quantization", "int3");
    assertEquals(2, bad.exit(), bad.all());
    assertTrue(bad.err().contains("unknown quantization 'int3'"), bad.err());
  }
}
