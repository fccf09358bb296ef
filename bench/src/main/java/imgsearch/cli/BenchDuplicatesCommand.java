package imgsearch.cli;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.duplicates.DuplicateFinder;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.duplicates.NeighbourGraph;
import imgsearch.eval.DuplicateSet;
import imgsearch.file.FileTrees;
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
    description = {"Measure 'imgsearch duplicates' on photos with known near-duplicate groups: pair "
            + "precision and recall per threshold, recall per kind of edit, and the threshold to choose. DIR "
            + "is either the real-photo set 'imgsearch bench near-duplicates --set DIR --build-only' builds "
            + "(one --part of it: the images of one picture are one group), or a folder where every "
            + "sub-folder is one picture's near-duplicates (original.jpg and copies or edits named by kind: "
            + "crop90.jpg, burst1.jpg, ...) and every file in DIR/singles/ has no duplicate. Choose on one "
            + "part, check on the other:",
        "  ./imgsearch bench duplicates SET --part tune --index /tmp/dup-index",
        "  ./imgsearch bench duplicates SET --part held-out --index /tmp/dup-index --descriptor edge-colour --threshold T"})
final class BenchDuplicatesCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The set (see above).")
  Path dir;

  @Option(names = "--descriptor", paramLabel = "NAME",
      description = "edge-colour or phash (default: both, each on its own threshold scale).")
  String descriptor;

  @Option(names = "--part", paramLabel = "PART",
      description = "With the real-photo set: tune or held-out (default ${DEFAULT-VALUE}).")
  String part = imgsearch.eval.PhotoNearDuplicateSet.TUNE;

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
    DuplicateSet set;
    try {
      set = Files.isRegularFile(dir.resolve("set.json"))
          ? DuplicateSet.of(imgsearch.eval.PhotoNearDuplicateSet.load(dir), part) : DuplicateSet.read(dir);
    } catch (IllegalArgumentException e) {
      throw UserError.usage(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s%nSet %s%s: %d images, %d groups of near-duplicates, %d singles, %d near-duplicate pairs%n",
        BenchCommand.machine(), set.root(),
        Files.isRegularFile(dir.resolve("set.json")) ? " (" + part + " part)" : "", set.images(), set.groups(), set.singles(), set.truePairs());
    Path tmp = indexDir == null ? Files.createTempDirectory("imgsearch-bench-duplicates") : null;
    try (LuceneImageIndex index = LuceneImageIndex.open(indexDir != null ? indexDir : tmp)) {
      List<Descriptor> descriptors = new ArrayList<>();
      measures.forEach(m -> descriptors.add(ClassicDescriptors.registry().create(m.descriptor())));
      IndexSummary s = new Indexer(index, new ImageDecoder(), descriptors, threads).index(set.root(), IndexListener.NONE);
      out.printf(Locale.ROOT, "Indexed %d images (%d unchanged, %d failed) in %.1f s%n", s.indexed(), s.unchanged(),
          s.failed().size(), s.millis() / 1000.0);
      Map<DuplicateMeasure, java.util.Set<String>> pairsAtDefault = new java.util.LinkedHashMap<>();
      for (DuplicateMeasure m : measures) {
        pairsAtDefault.put(m, measure(out, set, index, m));
      }
      if (pairsAtDefault.size() == 2 && threshold == null) {
        compare(out, pairsAtDefault);
      }
    } finally {
      if (tmp != null) {
        FileTrees.delete(tmp);
      }
    }
    return 0;
  }

  /** How the measures' groups at their defaults overlap: which pairs one finds that the other does too. */
  private static void compare(PrintWriter out, Map<DuplicateMeasure, java.util.Set<String>> pairs) {
    List<DuplicateMeasure> ms = new ArrayList<>(pairs.keySet());
    out.printf(Locale.ROOT, "%n### The two defaults side by side%n%n");
    for (int i = 0; i < 2; i++) {
      DuplicateMeasure a = ms.get(i);
      DuplicateMeasure b = ms.get(1 - i);
      long both = pairs.get(a).stream().filter(pairs.get(b)::contains).count();
      out.printf(Locale.ROOT, "Of the %d pairs %s (%s) groups, %s (%s) groups %d (%.1f%%).%n", pairs.get(a).size(),
          a.descriptor(), a.describeThreshold(a.defaultThreshold()), b.descriptor(),
          b.describeThreshold(b.defaultThreshold()), both, pairs.get(a).isEmpty() ? 100 : 100.0 * both / pairs.get(a).size());
    }
  }

  /** Measures {@code m} at every threshold; returns the pairs it groups at its default (or the given threshold). */
  private java.util.Set<String> measure(PrintWriter out, DuplicateSet set, LuceneImageIndex index, DuplicateMeasure m)
      throws Exception {
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
    out.printf(Locale.ROOT, "%n### %s (%s; the default is %s)%n%n", graph.spec().title(), m.unit(),
        m.format(m.defaultThreshold()));
    out.printf(Locale.ROOT, "Neighbours of %d images searched down to %s in %.1f s.%n%n", graph.compared(),
        m.format(floor), (System.nanoTime() - start) / 1e9);
    out.println("| threshold | groups | pairs found | precision | recall | F1 |");
    out.println("|---:|---:|---:|---:|---:|---:|");
    Double suggested = null;
    double suggestedRecall = -1;
    Double bestF1 = null;
    double bestF1Value = -1;
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
      if (score.f1() > bestF1Value) {
        bestF1 = t;
        bestF1Value = score.f1();
      }
    }
    if (threshold == null) {
      out.printf(Locale.ROOT, "%nSuggested (highest recall at pair precision >= %.2f): %s; highest F1: %s%n",
          minPrecision, suggested == null ? "none reaches that precision" : m.format(suggested), m.format(bestF1));
    }
    double shown = threshold != null ? threshold : m.defaultThreshold();
    DuplicateSet.Score at = scores.get(shown);
    java.util.Set<String> pairs = new java.util.HashSet<>();
    for (var g : DuplicateFinder.group(graph, shown).groups()) {
      List<String> paths = g.images().stream().map(d -> d.image().path()).sorted().toList();
      for (int i = 0; i < paths.size(); i++) {
        for (int j = i + 1; j < paths.size(); j++) {
          pairs.add(paths.get(i) + "\n" + paths.get(j));
        }
      }
    }
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
    return pairs;
  }
}
