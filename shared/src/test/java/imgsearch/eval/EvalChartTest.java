package imgsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.eval.EvalReport.MethodResult;
import imgsearch.eval.EvalReport.Parameters;
import imgsearch.eval.EvalReport.Scores;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class EvalChartTest {

  @TempDir
  Path dir;

  @Test
  void htmlIsWellFormedWithAnInlineSvgChartAndTables() throws Exception {
    EvalReport report = new Evaluator(TestIndexes.separable(), 1).evaluate();
    Path file = dir.resolve("report.html");
    EvalChart.writeHtml(report, file);

    Document page = parseXml(Files.readString(file));
    assertEquals(1, page.getElementsByTagName("svg").getLength());
    assertEquals(report.methods().size(), page.getElementsByTagName("polyline").getLength());
    assertEquals(2, page.getElementsByTagName("table").getLength());
    assertEquals(0, page.getElementsByTagName("script").getLength());
    String text = page.getDocumentElement().getTextContent();
    assertTrue(text.contains("good / cosine  (mAP 1.000)"), "legend names each method with its mAP");
    assertTrue(text.contains("k (number of results)") && text.contains("precision at k"), "axis labels");
  }

  @Test
  void pngDecodesWithTheLinesDrawn() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.separable(), 1).evaluate();
    Path file = dir.resolve("chart.png");
    EvalChart.writePng(report, file);

    BufferedImage png = ImageIO.read(file.toFile());
    assertNotNull(png, "not a readable PNG");
    assertEquals(EvalChart.image(report).getWidth(), png.getWidth());
    // the best method's line (first palette colour, #4e79a7) runs along precision 1.0 at the top of the plot
    int blueish = 0;
    for (int y = 0; y < png.getHeight(); y++) {
      for (int x = 0; x < png.getWidth(); x++) {
        int rgb = png.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int b = rgb & 0xff;
        if (b - r > 60) {
          blueish++;
        }
      }
    }
    assertTrue(blueish > 200, "expected the first method's line in the image, found " + blueish + " blue pixels");
  }

  @Test
  void escapesClassNamesAndDashesLinesBeyondThePalette() throws Exception {
    List<MethodResult> methods = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Scores s = new Scores(1, i / 12.0, 0, 0, 0, 0);
      methods.add(new MethodResult("d" + i, "d" + i + " v1", "l2", s, Map.of("cats & <dogs>", s),
          Collections.nCopies(20, i / 12.0)));
    }
    EvalReport report = new EvalReport("2025-01-01T00:00:00Z", new Parameters(List.of("d"), List.of("l2"), true, 20),
        1, 0, 10, List.of("cats & <dogs>"), 5, methods);

    Document page = parseXml(EvalChart.html(report));
    assertEquals(12, page.getElementsByTagName("polyline").getLength());
    assertTrue(EvalChart.svg(report).contains("stroke-dasharray"));
    assertTrue(page.getDocumentElement().getTextContent().contains("cats & <dogs>"));
    assertNotNull(ImageIO.read(new ByteArrayInputStream(pngBytes(report))));
  }

  private static byte[] pngBytes(EvalReport report) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    ImageIO.write(EvalChart.image(report), "png", out);
    return out.toByteArray();
  }

  /** Parses as XML: the page is written to be well-formed so this proves every tag is closed and escaped. */
  private static Document parseXml(String xml) throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
