package imgsearch.cli;

import imgsearch.descriptor.Metric;
import imgsearch.eval.EvalFiles;
import imgsearch.eval.EvalReport;
import imgsearch.eval.Evaluator;
import imgsearch.index.ImageIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Score every descriptor x metric on a train/test index.",
        "Each test image queries the train images; relevant = same class.",
        "Prints mAP, precision@1/5/10 and recall@10 overall and per class, and writes report.json, "
            + "report.html and precision-at-k.png into <index>/eval/ (or --out)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:report written",
        "1:no train/test split, no test image could be ranked (nothing is written), or another failure",
        "2:wrong arguments"})
final class EvalCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(names = "--descriptors", split = ",", paramLabel = "NAME", description = "Only these descriptors (default: all in the index).")
  List<String> descriptors = List.of();

  @Option(names = "--metrics", split = ",", paramLabel = "NAME", description = "Only these metrics (default: all each descriptor supports).")
  List<String> metrics = List.of();

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report files (default: <index>/eval).")
  Path out;

  @Option(names = "--json", description = "Print the report as JSON instead of tables.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<Metric> chosenMetrics;
    try {
      chosenMetrics = metrics.stream().map(Metric::fromId).toList();
    } catch (IllegalArgumentException e) {
      throw UserError.usage(e.getMessage());
    }
    Path indexDir = location.path();
    try (ImageIndex index = location.openForReading()) {
      EvalReport report;
      if (imgsearch.crawl.ConsoleProgress.interactive()) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Evaluating").setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
            .continuousUpdate().build()) {
          report = new Evaluator(index).evaluate(descriptors, chosenMetrics, (done, total) -> {
            bar.maxHint(total);
            bar.stepTo(done);
          });
        }
      } else {
        report = new Evaluator(index).evaluate(descriptors, chosenMetrics, Evaluator.Progress.NONE);
      }
      checkQueriesRan(report);
      java.io.PrintWriter console = spec.commandLine().getOut();
      EvalFiles files = out == null ? EvalFiles.forIndex(indexDir) : new EvalFiles(out.toAbsolutePath());
      files.write(report);
      if (json) {
        console.println(Files.readString(files.reportJson()));
      } else {
        console.println(report.toTable());
        console.println();
        console.println(report.toClassTable());
        console.printf("%nWrote %s%n      %s%n      %s%n", files.reportJson(), files.reportHtml(), files.chartPng());
      }
      return 0;
    }
  }

  /**
   * A descriptor whose test images have no vector ranks nothing; its mAP of 0 would look like a result.
   * When no descriptor ranked anything the run failed; otherwise the empty ones are named once.
   */
  private void checkQueriesRan(EvalReport report) {
    List<String> empty = report.methods().stream().filter(m -> m.overall().queries() == 0)
        .map(EvalReport.MethodResult::descriptor).distinct().toList();
    if (empty.isEmpty()) {
      return;
    }
    String names = String.join(", ", empty);
    String fix = "index the collection again with --descriptors " + String.join(",", empty);
    if (empty.size() == report.methods().stream().map(EvalReport.MethodResult::descriptor).distinct().count()) {
      throw UserError.failure("none of the " + report.queries() + " test images has a vector of " + names
          + ", so nothing could be ranked; " + fix);
    }
    spec.commandLine().getErr().println("imgsearch eval: no test image has a vector of " + names
        + "; its rows in the report are empty (" + fix + ")");
  }
}
