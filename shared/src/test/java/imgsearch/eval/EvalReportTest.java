package imgsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

  @TempDir
  Path dir;

  @Test
  void jsonRoundTripKeepsEverything() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.separable(), 1).evaluate();
    Path file = dir.resolve("sub/report.json");
    report.write(file);
    assertEquals(report, EvalReport.read(file));
    String json = Files.readString(file);
    assertTrue(json.contains("\"meanAveragePrecision\""), json);
    assertTrue(json.contains("\"precisionAtK\""), json);
    // The descriptor's title keeps the key and place it had in reports written before it was renamed.
    int label = json.indexOf("\"descriptorLabel\" : \"good v1\"");
    assertTrue(json.indexOf("\"descriptor\" : \"good\"") < label && label < json.indexOf("\"metric\""), json);
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void tableIsSortedByMapAndAligned() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.separable(), 1).evaluate();
    List<String> lines = report.toTable().lines().toList();
    assertEquals(1 + report.methods().size(), lines.size());
    assertTrue(lines.get(0).startsWith("method"), lines.get(0));
    assertTrue(lines.get(lines.size() - 1).startsWith("random / l1"), lines.toString());
    assertTrue(lines.get(1).contains("1.000"), lines.get(1));
    // numbers are right-aligned, so every line ends in the same column
    assertEquals(1, lines.stream().mapToInt(String::length).distinct().count(), report.toTable());
  }

  @Test
  void classTableHasOneRowPerClassAndMethod() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.separable(), 1).evaluate();
    List<String> lines = report.toClassTable().lines().toList();
    assertEquals(1 + 2 * 3, lines.size());
    assertTrue(lines.get(1).startsWith("cat "), lines.get(1));
    assertTrue(lines.get(6).startsWith("dog ") && lines.get(6).contains("random / l1"), lines.get(6));
    assertEquals(1, lines.stream().mapToInt(String::length).distinct().count(), report.toClassTable());
  }

  @Test
  void evalFilesLiveInTheIndexFolder() throws IOException {
    EvalFiles files = EvalFiles.forIndex(dir);
    assertEquals(dir.resolve("eval/report.json"), files.reportJson());
    assertEquals(dir.resolve("eval/report.html"), files.reportHtml());
    assertEquals(dir.resolve("eval/precision-at-k.png"), files.chartPng());
    assertEquals(Optional.empty(), files.read());

    EvalReport report = new Evaluator(TestIndexes.line(), 1).evaluate();
    files.write(report);
    assertEquals(Optional.of(report), files.read());
    assertTrue(Files.size(files.reportHtml()) > 0);
    assertTrue(Files.size(files.chartPng()) > 0);
  }
}
