package imgsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateGroup;
import imgsearch.duplicates.DuplicateImage;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.DuplicatesJson;
import imgsearch.file.ByteSizes;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "duplicates", mixinStandardHelpOptions = true,
    description = {"Group the indexed images into near-duplicates: copies, resized or recompressed exports, crops,"
        + " edits and burst shots.",
        "Prints each group with paths, sizes, resolutions and dates, and suggests which image to keep (largest"
        + " resolution, then largest file, then oldest). Never deletes or moves anything.",
        "",
        "It compares stored vectors: edge-colour by default (similarity up to 1; the best near-duplicate "
            + "descriptor), or phash, the crawler's perceptual hash (differing bits; at its default of 6, a "
            + "collection that 'imgsearch crawl' cleaned has no groups). Each image's near neighbours are "
            + "found by kNN through the index; every member of a group is within the threshold of the "
            + "group's centre, so a burst of shots does not chain into one long group.",
        "Details and measured precision and recall: docs/duplicates.md."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done (also when there are no duplicates)",
        "1:no index, or the index has no vectors duplicates can compare (the message says what to run)",
        "2:wrong arguments"})
final class DuplicatesCommand implements Callable<Integer> {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
      .withZone(ZoneId.systemDefault());

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(names = "--threshold", paramLabel = "T",
      description = {"How close images must be: for edge-colour a similarity up to 1 (default "
          + DuplicateMeasure.EDGE_COLOUR_DEFAULT + "; higher = stricter), for phash the most differing bits of 64"
          + " (default " + DuplicateMeasure.PHASH_DEFAULT + "; lower = stricter)."})
  Double threshold;

  @Option(names = "--descriptor", paramLabel = "NAME",
      description = "edge-colour or phash (default: the first of them the index holds).")
  String descriptor;

  @Option(names = "--json", description = "Print the groups as JSON (the shape of GET /api/duplicates).")
  boolean json;

  @Option(names = "--threads", paramLabel = "N", description = "Searches at once (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws Exception {
    if (descriptor != null && DuplicateMeasure.named(descriptor).isEmpty()) {
      throw UserError.usage("duplicates cannot use '" + descriptor + "'; use one of "
          + String.join(", ", DuplicateMeasure.names()));
    }
    if (threads < 1) {
      throw UserError.usage("--threads must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ImageIndex index = location.openForReading()) {
      DuplicateMeasure measure = DuplicateMeasure.choose(index.descriptors(), descriptor).orElse(null);
      if (measure == null) {
        if (index.count(ImageFilter.ALL) == 0) {
          printEmpty(out);
          return 0;
        }
        throw UserError.failure(DuplicateMeasure.missingMessage(descriptor, location.describe()));
      }
      double t = threshold == null ? measure.defaultThreshold() : threshold;
      Optional<String> badThreshold = measure.thresholdProblem(t);
      if (badThreshold.isPresent()) {
        throw UserError.usage(badThreshold.get());
      }
      DuplicateReport report;
      try (SearchProgress progress = SearchProgress.forConsole(spec.commandLine().getErr())) {
        report = DuplicateFinder.find(index, measure, t, threads, progress);
      }
      if (json) {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(DuplicatesJson.of(report, 0, Integer.MAX_VALUE, r -> Map.of())));
      } else {
        print(out, report, threshold == null);
      }
      return 0;
    }
  }

  private void printEmpty(PrintWriter out) throws Exception {
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(Map.of("indexed", 0, "groupCount", 0, "groups", java.util.List.of())));
    } else {
      out.printf("The index at %s is empty: no duplicates. Add images with 'imgsearch index DIR'.%n",
          location.describe());
    }
  }

  private void print(PrintWriter out, DuplicateReport r, boolean defaultThreshold) {
    DuplicateMeasure m = r.measure();
    out.printf(Locale.ROOT, "Near-duplicates in %s by %s vectors, %s%s%n", location.describe(), r.spec().title(),
        m.describeThreshold(r.threshold()), defaultThreshold ? " (the default)" : "");
    if (!r.tuned()) {
      out.printf(Locale.ROOT, "Note: the default threshold was chosen for %s v%d; this index holds %s. Check it with"
          + " 'imgsearch bench duplicates' (docs/duplicates.md).%n", m.descriptor(), m.tunedVersion(), r.spec().title());
    }
    out.printf(Locale.ROOT, "%d image%s compared in %.1f s: %d group%s, %d image%s could go (%s). Nothing was deleted"
            + " or moved.%n", r.compared(), plural(r.compared()), r.millis() / 1000.0, r.groups().size(),
        plural(r.groups().size()), r.redundantImages(), plural(r.redundantImages()),
        ByteSizes.decimal(r.redundantBytes()));
    if (r.compared() < r.indexed()) {
      int missing = r.indexed() - r.compared();
      out.printf(Locale.ROOT, "%d image%s %s no %s vectors and %s not compared: run 'imgsearch index DIR --index %s'"
          + " to describe them.%n", missing, plural(missing), missing == 1 ? "has" : "have", r.spec().title(),
          missing == 1 ? "was" : "were", location.describe());
    }
    int number = 1;
    for (DuplicateGroup g : r.groups()) {
      out.printf(Locale.ROOT, "%nGroup %d of %d: %d images; keep the %s (%s)%n", number++, r.groups().size(),
          g.images().size(), g.keepReason().text(), m.unit() + (m.higherIsCloser() ? " to it" : " from it"));
      for (DuplicateImage d : g.images()) {
        out.printf(Locale.ROOT, "  %-4s %11s %10s  %-16s %6s  %s%n", d.keep() ? "KEEP" : "",
            d.image().width() + "x" + d.image().height(), ByteSizes.decimal(d.image().sizeBytes()),
            d.modified() == null ? "(missing)" : DATE.format(d.modified()),
            d.score() == null ? "" : m.format(d.score()), d.image().path());
      }
    }
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }
}
