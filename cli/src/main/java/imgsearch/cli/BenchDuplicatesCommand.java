package imgsearch.cli;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.NeighbourGraph;
import imgsearch.eval.DuplicateSet;
import imgsearch.image.ImageDecoder;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Pair precision and recall of {@code imgsearch duplicates} per threshold on a set with known groups. */
@Command(name = "duplicates", mixinStandardHelpOptions = true,
    description = {"Measure 'imgsearch duplicates' on a folder with known near-duplicate groups: pair",
        "precision and recall per threshold, recall per kind of edit, and the threshold to choose.",
        "DIR: every sub-folder is one picture's near-duplicates (original.jpg and its copies and edits,",
        "named by kind: crop90.jpg, burst1.jpg, ...); every file in DIR/singles/ has no duplicate.",
        "scripts/duplicate-set builds such a set from Debian's photos, with a tune/ and a holdout/ part:",
        "  ./imgsearch bench duplicates /work/data/duplicate-set/tune      choose on this part",
        "  ./imgsearch bench duplicates /work/data/duplicate-set/holdout --threshold 0.95   then check"})
final class BenchDuplicatesCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The set (see above).")
  Path dir;

  @Option(names = "--descriptor", paramLabel = "NAME",
      description = "edge-colour or phash (default: both, each on its own threshold scale).")
  String descriptor;

  @Option(names = "--threshold", paramLabel = "T", description = "Measure at this threshold only (a held-out check).")
  Double threshold;

  @Option(names = "--min-precision", paramLabel = "P",
      description = "The threshold suggested is the one with the highest recall at this pair precision or more"
          + " (default ${DEFAULT-VALUE}).")
  double minPrecision = 0.98;

  @Option(names = "--index", paramLabel = "PATH",
      description = "Keep the set's index here and reuse it next time (default: a temporary one).")
  Path indexDir;

  @Option(names = "--show-errors", paramLabel = "N",
      description = "List up to N wrongly paired images at the default or given threshold (default ${DEFAULT-VALUE}).")
  int showErrors = 10;

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws Exception {
    List<DuplicateMeasure> measures = descriptor == null ? DuplicateMeasure.PREFERENCE
        : List.of(DuplicateMeasure.named(descriptor).orElseThrow(() -> UserError.usage("unknown descriptor '"
            + descriptor + "'; use one of " + String.join(", ", DuplicateMeasure.names()))));
    if (threshold != null && measures.size() > 1) {
      throw UserError.usage("--threshold needs --descriptor: the descriptors' thresholds are on different scales");
    }
    DuplicateSet set = DuplicateSet.read(dir);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s%nSet %s: %d images, %d groups of near-duplicates, %d singles, %d near-duplicate pairs%n",
        BenchCommand.machine(), set.root(), set.images(), set.groups(), set.singles(), set.truePairs());
    Path tmp = indexDir == null ? Files.createTempDirectory("imgsearch-bench-duplicates") : null;
    try (LuceneImageIndex index = LuceneImageIndex.open(indexDir != null ? indexDir : tmp)) {
      List<Descriptor> descriptors = new ArrayList<>();
      measures.forEach(m -> descriptors.add(ClassicDescriptors.registry().create(m.descriptor())));
      IndexSummary s = new Indexer(index, new ImageDecoder(), descriptors, threads).index(set.root(), IndexListener.NONE);
      out.printf(Locale.ROOT, "Indexed %d images (%d unchanged, %d failed) in %.1f s%n", s.indexed(), s.unchanged(),
          s.failed().size(), s.millis() / 1000.0);
      for (DuplicateMeasure m : measures) {
        measure(out, set, index, m);
      }
    } finally {
      if (tmp != null) {
        BenchCommand.deleteTree(tmp);
      }
    }
    return 0;
  }

  private void measure(PrintWriter out, DuplicateSet set, LuceneImageIndex index, DuplicateMeasure m) throws Exception {
    List<Double> thresholds = new ArrayList<>();
    if (threshold != null) {
      thresholds.add(m.checkThreshold(threshold));
    } else {
      int steps = (int) Math.round(Math.abs(m.strictestThreshold() - m.loosestThreshold()) / m.step());
      for (int i = 0; i <= steps; i++) {
        double t = m.loosestThreshold() + Math.signum(m.strictestThreshold() - m.loosestThreshold()) * i * m.step();
        thresholds.add(Math.round(t * 1e6) / 1e6);
      }
    }
    double floor = thresholds.get(0);
    long start = System.nanoTime();
    NeighbourGraph graph = NeighbourGraph.build(index, m, floor, threads, NeighbourGraph.Progress.NONE);
    out.printf(Locale.ROOT, "%n### %s (%s; the default is %s)%n%n", graph.spec().label(), m.unit(),
        m.format(m.defaultThreshold()));
    out.printf(Locale.ROOT, "Neighbours of %d images searched down to %s in %.1f s.%n%n", graph.compared(),
        m.format(floor), (System.nanoTime() - start) / 1e9);
    out.println("| threshold | groups | pairs found | precision | recall | F1 |");
    out.println("|---:|---:|---:|---:|---:|---:|");
    Double suggested = null;
    double suggestedRecall = -1;
    Map<Double, DuplicateSet.Score> scores = new java.util.LinkedHashMap<>();
    for (double t : thresholds) {
      DuplicateReport r = DuplicateFinder.group(graph, t);
      DuplicateSet.Score score = set.score(r.groups());
      scores.put(t, score);
      boolean isDefault = Math.abs(t - m.defaultThreshold()) < 1e-9;
      out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f |%n",
          isDefault ? "**" + m.format(t) + "** (default)" : m.format(t), r.groups().size(), score.found(),
          score.precision(), score.recall(), score.f1());
      if (score.precision() >= minPrecision && score.recall() > suggestedRecall) {
        suggested = t;
        suggestedRecall = score.recall();
      }
    }
    if (threshold == null) {
      out.printf(Locale.ROOT, "%nSuggested (highest recall at pair precision >= %.2f): %s%n", minPrecision,
          suggested == null ? "none reaches that precision" : m.format(suggested));
    }
    double shown = threshold != null ? threshold : m.defaultThreshold();
    DuplicateSet.Score at = scores.get(shown);
    if (at != null) {
      out.printf(Locale.ROOT, "%nRecall of (original, edit) pairs at %s, by edit:%n%n| edit | recall |%n|---|---:|%n",
          m.format(shown));
      at.recallByKind().forEach((kind, recall) -> out.printf(Locale.ROOT, "| %s | %.2f |%n", kind, recall));
      if (showErrors > 0 && !at.wrongPairs().isEmpty()) {
        out.printf(Locale.ROOT, "%nWrong pairs at %s (%d; first %d):%n", m.format(shown), at.wrongPairs().size(),
            Math.min(showErrors, at.wrongPairs().size()));
        at.wrongPairs().stream().limit(showErrors).forEach(p -> out.println("  " + p));
      }
    }
  }
}
