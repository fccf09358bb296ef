package imgsearch.cli;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageLimits;
import imgsearch.index.Indexer;
import imgsearch.index.IndexSummary;
import imgsearch.index.ImageIndex;
import imgsearch.index.IndexInfo;
import imgsearch.index.Quantization;
import imgsearch.model.ModelUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "index", mixinStandardHelpOptions = true,
    description = {"Index every image under DIR, recursively.",
        "Re-running is incremental: unchanged files are skipped, changed ones re-described, deleted ones removed.",
        "A DIR with train/<class>/ and test/<class>/ folders records split and class for each image; a "
            + "manifest.jsonl beside them (written by 'imgsearch crawl') adds attribution.",
        "Files that fail are counted by reason; the list of them goes to <index>/logs/ (and to the screen with"
            + " --verbose)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done, also when some files failed but others were indexed or already up to date",
        "1:nothing could be indexed (every image file failed), a deep model cannot be had (then the index is"
            + " not touched), the run was stopped early, or another failure",
        "2:wrong arguments"})
final class IndexCommand implements Callable<Integer> {

  /** Causes shown in the summary; the rest are in the failure log. */
  private static final int SHOWN_CAUSES = 10;
  private static final DateTimeFormatter LOG_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "Folder of images (JPEG, PNG, GIF, BMP, WebP).")
  Path dir;

  @Mixin IndexLocation location;

  @Mixin ModelLocation models;

  @Option(names = "--descriptors", split = ",", paramLabel = "NAME",
      description = "Descriptors to compute, comma-separated (default: ${DEFAULT-VALUE}; also phash, the crawler's hash, and the deep clip, resnet50).")
  List<String> descriptors = ClassicDescriptors.defaults();

  @Option(names = "--pixel-size", paramLabel = "N",
      description = "Side of the N x N image the pixels descriptor compares (default 224).")
  Integer pixelSize;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-pixels", paramLabel = "N", description = "Skip images whose header claims more pixels (default ${DEFAULT-VALUE}).")
  long maxPixels = ImageLimits.DEFAULT.maxPixels();

  @Option(names = "--quantization", split = ",", paramLabel = "Q|NAME=Q",
      description = {"How HNSW graphs store vectors: none (float32, exact), int8, int7, int4, int2 or int1 "
              + "(smaller, compared approximately; results are always re-scored with the float vectors). One "
              + "value applies to every descriptor with a graph (edge-colour, clip, resnet50); NAME=Q to one "
              + "descriptor. Default: as the index has it, else none. Changing it rewrites the stored graphs "
              + "(no image is described again)."})
  List<String> quantization = List.of();

  @Option(names = "--optimize",
      description = {"After indexing, merge the index into one segment: searches of a large collection get "
              + "several times faster (one HNSW graph instead of one per segment). Takes about as long as "
              + "building the graphs did; searches keep running meanwhile. Worth it after a large first run "
              + "(docs/scale.md)."})
  boolean optimize;

  @Option(names = {"-v", "--verbose"},
      description = "Also print every file that failed, and why (they are always listed in <index>/logs/).")
  boolean verbose;

  /** Indexing {@code dir} into {@code location} with the default options, as {@code imgsearch index DIR} does. */
  static IndexCommand of(Path dir, IndexLocation location, ModelLocation models) {
    IndexCommand command = new IndexCommand();
    command.dir = dir;
    command.location = location;
    command.models = models;
    return command;
  }

  @Override
  public Integer call() throws Exception {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Runs the {@link Indexer}: the summary goes to {@code out}, progress and problems to {@code err}. */
  int run(PrintWriter out, PrintWriter err) throws Exception {
    if (!Files.isDirectory(dir)) {
      throw UserError.usage(dir + " is not a folder");
    }
    try (Descriptors known = Descriptors.load(models.options(err))) {
      List<Descriptor> chosen = Descriptors.parse(known.registry(), descriptors, pixelSize);
      prepare(chosen);
      return index(chosen, out, err);
    }
  }

  /**
   * Loads the deep models before the index is opened: one that cannot be had is said once and leaves
   * the index as it was (not even created), instead of failing every image.
   */
  private static void prepare(List<Descriptor> chosen) {
    for (Descriptor d : chosen) {
      try {
        d.prepare();
      } catch (ModelUnavailableException e) {
        throw UserError.failure(e.getMessage() + " Nothing was indexed; to index without it, leave " + d.name()
            + " out of --descriptors.", e);
      }
    }
  }

  private int index(List<Descriptor> chosen, PrintWriter out, PrintWriter err) throws Exception {
    out.printf("Indexing %s into %s with %s%n", dir.toAbsolutePath().normalize(), location.describe(),
        String.join(", ", chosen.stream().map(d -> d.spec().title()).toList()));
    IndexSummary summary;
    Map<String, Quantization> quantizations = quantizations(chosen);
    try (ImageIndex index = location.openForWriting()) {
      announceRewrites(index, quantizations, out);
      ImageDecoder decoder = new ImageDecoder(new ImageLimits(ImageLimits.DEFAULT.maxBytes(), maxPixels));
      if (!decoder.usesTurboJpeg()) {
        err.println("Note: libjpeg-turbo's library (libturbojpeg.so.0) was not found, so JPEGs are decoded by the JDK"
            + " (nearly the same vectors, 3-4x slower). Install it for faster indexing (Debian, Ubuntu: apt-get install libturbojpeg0).");
      }
      Indexer indexer = new Indexer(index, decoder, chosen, threads).withQuantization(quantizations);
      // Closed before the summary is printed, so the bar is never redrawn in the middle of it.
      try (IndexProgress progress = IndexProgress.forConsole(err)) {
        summary = runInterruptibly(indexer, progress);
      }
      if (optimize && !summary.cancelled()) {
        out.println("Merging the index into one segment (--optimize)...");
        out.flush();
        long start = System.nanoTime();
        index.optimize();
        out.printf(Locale.ROOT, "Merged in %.1f s%n", (System.nanoTime() - start) / 1e9);
      }
    }
    Path log = summary.failed().isEmpty() ? null : writeFailureLog(summary, err);
    printSummary(out, summary, verbose, log);
    if (summary.files() == 0) {
      out.printf("There are no image files (JPEG, PNG, GIF, BMP, WebP) under %s.%n", dir.toAbsolutePath().normalize());
    }
    if (summary.allFailed()) {
      throw UserError.failure("none of the " + summary.failed().size() + " image files could be indexed ("
          + summary.failureCounts().stream().map(c -> c.count() + " " + c.cause()).limit(3)
              .collect(Collectors.joining(", "))
          + (summary.failureCounts().size() > 3 ? ", ..." : "") + ")");
    }
    return summary.cancelled() ? 1 : 0;
  }

  /** {@code --quantization} per chosen descriptor: one value for all, or NAME=Q entries. */
  private Map<String, Quantization> quantizations(List<Descriptor> chosen) {
    Map<String, Quantization> out = new HashMap<>();
    List<String> names = chosen.stream().map(Descriptor::name).toList();
    for (String raw : quantization) {
      String entry = raw.trim();
      int eq = entry.indexOf('=');
      try {
        if (eq < 0) {
          Quantization q = Quantization.fromId(entry);
          names.forEach(n -> out.put(n, q));
        } else {
          String name = entry.substring(0, eq).trim();
          if (!names.contains(name)) {
            throw UserError.usage("--quantization names " + name + ", which is not among --descriptors ("
                + String.join(", ", names) + ")");
          }
          out.put(name, Quantization.fromId(entry.substring(eq + 1)));
        }
      } catch (IllegalArgumentException e) {
        throw UserError.usage("--quantization: " + e.getMessage());
      }
    }
    if (location.isSolr() && out.values().stream().anyMatch(q -> q != Quantization.NONE)) {
      throw UserError.usage("--quantization: a SolrCloud index stores float32 graphs only ("
          + Quantization.NONE.id() + "); quantized graphs need the embedded Lucene index");
    }
    return out;
  }

  /** Says which descriptors' graphs this run rewrites in another quantization, before it does. */
  private static void announceRewrites(ImageIndex index, Map<String, Quantization> wanted, PrintWriter out)
      throws IOException {
    for (IndexInfo.Descriptor d : index.info().descriptors()) {
      Quantization q = wanted.get(d.spec().name());
      if (q != null && d.quantization() != null && d.quantization() != q && d.vectors() > 0) {
        out.printf(Locale.ROOT, "Rewriting the %s graph of %,d images from %s to %s (from the stored vectors; no image"
            + " is described again)%n", d.spec().name(), d.vectors(), d.quantization().id(), q.id());
      }
    }
  }

  /**
   * Writes every failed file with its reason to {@code <index>/logs/index-failures-<time>.txt}; null
   * (after saying so) when it cannot be written, since the run itself is done.
   */
  private Path writeFailureLog(IndexSummary summary, PrintWriter err) {
    Path logs = location.path().resolve("logs");
    LocalDateTime now = LocalDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String stamp = now.format(LOG_STAMP);
    List<String> lines = new ArrayList<>();
    lines.add("# imgsearch index " + dir.toAbsolutePath().normalize() + " --index " + location.describe() + ", "
        + now + ": " + summary.failed().size() + " of " + summary.files() + " image files failed");
    for (IndexSummary.FailureCount c : summary.failureCounts()) {
      lines.add("# " + c.count() + " " + c.cause());
    }
    lines.add("# file\tkind\treason");
    summary.failed().stream().sorted(Comparator.comparing(IndexSummary.Failure::path)).forEach(f ->
        lines.add(f.path() + "\t" + f.kind().label() + "\t" + oneLine(f.reason())));
    try {
      Files.createDirectories(logs);
      for (int n = 1; ; n++) {
        Path log = logs.resolve("index-failures-" + stamp + (n == 1 ? "" : "-" + n) + ".txt");
        try {
          Files.write(log, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          return log;
        } catch (FileAlreadyExistsException sameSecond) {
          // another run finished in the same second: take the next name
        }
      }
    } catch (IOException e) {
      err.println("imgsearch index: cannot write the list of failed files into " + logs
          + " (" + e.getMessage() + ")" + (verbose ? "" : "; --verbose prints it"));
      return null;
    }
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** Ctrl-C stops the run cleanly: work so far is committed and the next run completes it. */
  private IndexSummary runInterruptibly(Indexer indexer, IndexProgress progress) throws Exception {
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      indexer.cancel();
      try {
        finished.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "imgsearch-index-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return indexer.index(dir, progress);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running; it only waits for the latch released above
      }
    }
  }

  /**
   * The totals, then how many files failed for each cause (each cause once), then where the list of
   * failed files is; {@code verbose} also prints that list, one file a line.
   */
  static void printSummary(PrintWriter out, IndexSummary s, boolean verbose, Path log) {
    if (verbose && !s.failed().isEmpty()) {
      out.println("Failed files:");
      s.failed().stream().sorted(Comparator.comparing(IndexSummary.Failure::path))
          .forEach(f -> out.printf("  %s: %s%n", f.path(), oneLine(f.reason())));
    }
    out.printf(Locale.ROOT, "%s: %d indexed, %d unchanged, %d removed, %d failed in %.1f s (%.1f images/s)%n",
        s.cancelled() ? "Stopped early (the next run completes it)" : "Done", s.indexed(), s.unchanged(), s.removed(),
        s.failed().size(), s.millis() / 1000.0, s.imagesPerSecond());
    List<IndexSummary.FailureCount> causes = s.failureCounts();
    for (IndexSummary.FailureCount c : causes.subList(0, Math.min(SHOWN_CAUSES, causes.size()))) {
      out.printf("  %d %s%n", c.count(), c.cause());
    }
    if (causes.size() > SHOWN_CAUSES) {
      out.printf("  ... and %d other causes%n", causes.size() - SHOWN_CAUSES);
    }
    if (log != null) {
      out.printf("Failed files are listed in %s%s%n", log, verbose ? "" : " (--verbose prints them here)");
    }
  }
}
