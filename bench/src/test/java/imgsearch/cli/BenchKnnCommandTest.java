package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench knn through the real command line: generated files, a build, a search, the index it leaves. */
class BenchKnnCommandTest {

  @TempDir Path tmp;

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
    JsonNode r = run.lastJsonLine();
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
    JsonNode vectors = info.lastJsonLine().get("descriptors").get(0);
    assertEquals("vectors", vectors.get("name").asText());
    assertEquals("int8", vectors.get("quantization").asText());
    assertEquals(3000, vectors.get("vectors").asInt());

    // --reuse searches it again without building; a second build into it is refused.
    CliRun reuse = CliRun.of("bench", "knn", "--base", data.resolve("base.fvecs").toString(), "--queries",
        data.resolve("queries.fvecs").toString(), "--truth", data.resolve("truth.ivecs").toString(), "--index",
        index.toString(), "--reuse", "--quantization", "int8", "--candidates", "50");
    assertEquals(0, reuse.exit(), reuse.all());
    assertTrue(reuse.lastJsonLine().get("buildSeconds").isNull());
    CliRun again = CliRun.of("bench", "knn", "--base", data.resolve("base.fvecs").toString(), "--queries",
        data.resolve("queries.fvecs").toString(), "--truth", data.resolve("truth.ivecs").toString(), "--index",
        index.toString());
    assertEquals(1, again.exit(), again.all());
    assertTrue(again.err().contains("already holds 3000 images"), again.err());
  }
}
