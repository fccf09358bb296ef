package imgsearch.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the latest evaluation of an index is kept: {@code <index>/eval/report.json}, {@code report.html}
 * and {@code precision-at-k.png}. The CLI writes them; the web app reads them.
 *
 * @param directory the folder holding the three files
 */
public record EvalFiles(Path directory) {

  public static final String REPORT_JSON = "report.json";
  public static final String REPORT_HTML = "report.html";
  public static final String CHART_PNG = "precision-at-k.png";

  /** The evaluation folder of an index folder. */
  public static EvalFiles forIndex(Path indexDirectory) {
    return new EvalFiles(indexDirectory.resolve(EvalReport.DEFAULT_DIR_NAME));
  }

  public Path reportJson() {
    return directory.resolve(REPORT_JSON);
  }

  public Path reportHtml() {
    return directory.resolve(REPORT_HTML);
  }

  public Path chartPng() {
    return directory.resolve(CHART_PNG);
  }

  /** Writes the report as JSON, HTML and PNG, creating the folder if needed. */
  public void write(EvalReport report) throws IOException {
    Files.createDirectories(directory);
    EvalChart.writePng(report, chartPng());
    EvalChart.writeHtml(report, reportHtml());
    // JSON last: its presence means the HTML and PNG beside it belong to it
    report.write(reportJson());
  }

  /** The saved report, or empty when this index has not been evaluated. */
  public Optional<EvalReport> read() throws IOException {
    return Files.isRegularFile(reportJson()) ? Optional.of(EvalReport.read(reportJson())) : Optional.empty();
  }
}
