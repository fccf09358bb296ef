package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** info and index --quantization through the real command line. */
class ScaleCommandsTest {

  @TempDir Path tmp;

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
    for (JsonNode d : CliRun.of("info", "--index", index.toString(), "--json").lastJsonLine().get("descriptors")) {
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
