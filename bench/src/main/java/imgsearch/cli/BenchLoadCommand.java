package imgsearch.cli;

import imgsearch.cli.bench.LoadHarness;
import imgsearch.cli.bench.Machine;
import imgsearch.index.lucene.LuceneImageIndex;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgsearch bench load --index DIR}: see {@link LoadHarness}. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {"Serve the index on a loopback port and check its answers to concurrent good and bad requests.",
        "Clients send a seeded mix of uploads, searches by id, text queries (when a text model is available) and bad "
            + "inputs. Checks: no 5xx, good requests 200, bad ones their documented 4xx JSON error, identical requests "
            + "answered alike, the heap bounded. Reports p50/p99 per kind; the last line is one JSON object. "
            + "Exit 1 when any check failed."})
final class BenchLoadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Mixin ModelLocation models;

  @Option(names = "--clients", paramLabel = "N", description = "Concurrent client threads (default ${DEFAULT-VALUE}).")
  int clients = 4;

  @Option(names = "--requests", paramLabel = "N", description = "Timed requests (default ${DEFAULT-VALUE}).")
  int requests = 20_000;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the request mix (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--max-heap-growth-mb", paramLabel = "MB",
      description = "Most the heap may grow, measured after a full GC, from the warm-up to the end (default ${DEFAULT-VALUE}).")
  int maxHeapGrowthMb = 64;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || requests < 1) {
      throw UserError.usage("--clients and --requests must be at least 1");
    }
    if (location.isSolr()) {
      throw UserError.usage("bench load serves an embedded index folder; --index solr://... is not supported");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path indexDir = location.path();
    out.println(Machine.describe());
    try (LuceneImageIndex index = LuceneImageIndex.openReadOnly(indexDir);
         Descriptors known = Descriptors.load(models.options(spec.commandLine().getErr()))) {
      LoadHarness.Report report = LoadHarness.run(new LoadHarness.Settings(clients, requests, seed,
          (long) maxHeapGrowthMb << 20, Duration.ofSeconds(120)), index, indexDir, known.registry(), out);
      return report.passed() ? 0 : 1;
    }
  }
}
