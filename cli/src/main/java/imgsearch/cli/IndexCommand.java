package imgsearch.cli;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageLimits;
import imgsearch.index.Indexer;
import imgsearch.index.IndexSummary;
import imgsearch.index.ImageIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        "A DIR with train/<class>/ and test/<class>/ folders records split and class for each image;",
        "a manifest.jsonl beside them (written by 'imgsearch crawl') adds attribution."})
final class IndexCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "Folder of images (JPEG, PNG, GIF, BMP, WebP).")
  Path dir;

  @Mixin IndexLocation location;

  @Mixin ModelLocation models;

  @Option(names = "--descriptors", split = ",", paramLabel = "NAME",
      description = "Descriptors to compute, comma-separated (default: every classic one: ${DEFAULT-VALUE}).")
  List<String> descriptors = ClassicDescriptors.names();

  @Option(names = "--pixel-size", paramLabel = "N",
      description = "Side of the N x N image the pixels descriptor compares (default 224; the seed notebook used 448).")
  Integer pixelSize;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-pixels", paramLabel = "N", description = "Skip images whose header claims more pixels (default ${DEFAULT-VALUE}).")
  long maxPixels = ImageLimits.DEFAULT.maxPixels();

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw UserError.usage(dir + " is not a folder");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Descriptors known = Descriptors.load(models.options(spec.commandLine().getErr()))) {
      return index(Descriptors.parse(known.registry(), descriptors, pixelSize), out);
    }
  }

  private int index(List<Descriptor> chosen, PrintWriter out) throws Exception {
    out.printf("Indexing %s into %s with %s%n", dir.toAbsolutePath().normalize(), location.describe(),
        String.join(", ", chosen.stream().map(d -> d.spec().label()).toList()));
    try (ImageIndex index = location.openForWriting();
         IndexProgress progress = IndexProgress.forConsole(spec.commandLine().getErr())) {
      Indexer indexer = new Indexer(index, new ImageDecoder(new ImageLimits(ImageLimits.DEFAULT.maxBytes(), maxPixels)),
          chosen, threads);
      IndexSummary summary = runInterruptibly(indexer, progress);
      printSummary(out, summary);
      return summary.cancelled() ? 1 : 0;
    }
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

  static void printSummary(PrintWriter out, IndexSummary s) {
    out.printf(Locale.ROOT, "%s: %d indexed, %d unchanged, %d removed, %d failed in %.1f s (%.1f images/s)%n",
        s.cancelled() ? "Stopped early (the next run completes it)" : "Done", s.indexed(), s.unchanged(), s.removed(),
        s.failed().size(), s.millis() / 1000.0, s.imagesPerSecond());
    int shown = 0;
    for (IndexSummary.Failure f : s.failed()) {
      if (shown++ == 20) {
        out.printf("  ... and %d more%n", s.failed().size() - 20);
        break;
      }
      out.printf("  skipped %s: %s%n", f.path(), f.reason());
    }
  }
}
