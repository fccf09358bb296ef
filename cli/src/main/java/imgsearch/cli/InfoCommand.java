package imgsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.Metric;
import imgsearch.file.ByteSizes;
import imgsearch.index.ImageIndex;
import imgsearch.index.IndexInfo;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imgsearch info}: what an index holds and how it stores it. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Show an index: where it is, how many images it holds and its size on disk.",
        "Per descriptor: its version, dimension, metrics, how it is searched (HNSW graph or exact scan), "
            + "how the graph stores vectors (quantization, chosen with 'index --quantization') and roughly "
            + "how much disk its vectors take."})
final class InfoCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(names = "--json", description = "One JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ImageIndex index = location.openForReading()) {
      IndexInfo info = index.info();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(info.asMap()));
      } else {
        print(out, info, location.describe());
      }
    }
    return 0;
  }

  static void print(PrintWriter out, IndexInfo info, String where) {
    out.printf(Locale.ROOT, "Index:  %s (%s)%n", where, info.backend());
    out.printf(Locale.ROOT, "Images: %,d%n", info.images());
    if (info.diskBytes() >= 0) {
      out.printf(Locale.ROOT, "Disk:   %s%n", ByteSizes.decimal(info.diskBytes()));
    }
    if (info.descriptors().isEmpty()) {
      out.println("No descriptors yet: build the index with 'imgsearch index DIR'.");
      return;
    }
    out.println("Descriptors:");
    for (IndexInfo.Descriptor d : info.descriptors()) {
      out.printf(Locale.ROOT, "  %s: %,d dimensions, metrics %s%n", d.spec().title(), d.spec().dimension(),
          String.join(", ", d.spec().metrics().stream().map(Metric::id).toList()));
      out.printf(Locale.ROOT, "    search: %s%n", d.searchDescription());
      if (d.vectors() >= 0) {
        out.printf(Locale.ROOT, "    vectors: %,d%s%n", d.vectors(),
            d.approxBytes() >= 0 ? ", about " + ByteSizes.decimal(d.approxBytes()) + " on disk" : "");
      }
    }
  }
}
