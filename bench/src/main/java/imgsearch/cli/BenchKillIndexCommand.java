package imgsearch.cli;

import imgsearch.cli.bench.KillIndexHarness;
import imgsearch.cli.bench.Machine;
import imgsearch.descriptor.ClassicDescriptors;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code imgsearch bench kill-index DIR}: see {@link KillIndexHarness}. */
@Command(name = "kill-index", mixinStandardHelpOptions = true,
    description = {"Kill 'imgsearch index DIR' with SIGKILL at random moments and check the index after each kill.",
        "Child JVMs index DIR into a fresh temporary index; after each kill the index must open, pass Lucene's "
            + "CheckIndex, hold each photo at most once with its true hash, and answer searches by id and by image. "
            + "A last run must then index every photo exactly once. Exit 1 when any check failed."})
final class BenchKillIndexCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A folder of photos (a few hundred is enough). Nothing is copied or changed.")
  Path dir;

  @Option(names = "--kills", paramLabel = "N", description = "Runs to kill (default ${DEFAULT-VALUE}).")
  int kills = 20;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the kill moments and the searches (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--descriptors", split = ",", paramLabel = "NAME",
      description = "Classic descriptors to index with (default: every one, as 'imgsearch index').")
  List<String> descriptors;

  @Option(names = "--pixel-size", paramLabel = "N", description = "Passed to 'imgsearch index'.")
  Integer pixelSize;

  @Option(names = "--threads", paramLabel = "N", description = "Passed to 'imgsearch index' (default: cores).")
  Integer threads;

  @Option(names = "--work", paramLabel = "DIR", description = "Keep the indexes and child logs in DIR (default: a temporary folder, removed).")
  Path work;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)) {
      throw UserError.usage(dir + " is not a folder");
    }
    if (kills < 0) {
      throw UserError.usage("--kills must not be negative, was " + kills);
    }
    List<String> options = new ArrayList<>();
    if (descriptors != null) {
      for (String d : descriptors) {
        if (!ClassicDescriptors.names().contains(d.trim())) {
          throw UserError.usage("the kill harness searches with the classic descriptors only ("
              + String.join(", ", ClassicDescriptors.names()) + "), not '" + d + "'");
        }
      }
      options.addAll(List.of("--descriptors", String.join(",", descriptors)));
    }
    if (pixelSize != null) {
      options.addAll(List.of("--pixel-size", pixelSize.toString()));
    }
    if (threads != null) {
      options.addAll(List.of("--threads", threads.toString()));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(Machine.describe());
    KillIndexHarness.Report report = KillIndexHarness.run(
        new KillIndexHarness.Settings(dir, kills, seed, options, work, Duration.ofHours(2)), out);
    return report.passed() ? 0 : 1;
  }
}
