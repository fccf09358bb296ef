package imgsearch.cli.bench;

import imgsearch.cli.UserError;
import imgsearch.file.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Kills {@code imgsearch index DIR} with SIGKILL at random moments and checks after each kill that the
 * index is still sound ({@link IndexChecks}), then lets a last run complete and checks that every photo is
 * indexed exactly once.
 *
 * <p>Runs work on one index, each resuming what the killed ones before it left. An
 * uninterrupted run into a separate index first measures how long a run takes; each kill moment is drawn
 * (seeded, uniformly) from that span, from JVM start to exit. A resumed run may end before its moment; that
 * round is reported as such, its index must then be complete, and the next round starts again from a fresh
 * index, so that later kills hit real work too.
 */
public final class KillIndexHarness {

  /**
   * @param photos the folder to index
   * @param kills how many runs to kill
   * @param seed seed of the kill moments and of the searched ids and photos
   * @param indexOptions extra {@code imgsearch index} options, e.g. {@code --descriptors edge-colour}
   * @param workDir where the indexes and the child logs go (a temporary folder when null, removed afterwards)
   * @param runTimeout longest a run that is not killed may take
   */
  public record Settings(Path photos, int kills, long seed, List<String> indexOptions, Path workDir, Duration runTimeout) {
    public Settings {
      if (kills < 0) {
        throw UserError.failure("kills must not be negative, was " + kills);
      }
      indexOptions = List.copyOf(indexOptions);
    }
  }

  /**
   * One killed (or finished-first) run and what its index held afterwards.
   *
   * @param number 1-based
   * @param momentSeconds when the kill was due, seconds after the child started
   * @param windowSeconds the span the moment was drawn from
   * @param killed whether the child was still running at its moment and was killed
   * @param exitCode the child's exit code (137 when killed by SIGKILL)
   * @param images images committed in the index afterwards
   * @param checks the child's exit and every index check
   */
  public record Round(int number, double momentSeconds, double windowSeconds, boolean killed, int exitCode, int images,
      List<Check> checks) {
    public Round {
      checks = List.copyOf(checks);
    }

    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  /**
   * The last run, left to complete.
   *
   * @param exitCode its exit code
   * @param seconds how long it took
   * @param summary its summary line ("Done: N indexed, M unchanged, ...")
   * @param images images in the index afterwards
   * @param checks its exit and every index check, completeness included
   */
  public record FinalRun(int exitCode, double seconds, String summary, int images, List<Check> checks) {
    public FinalRun {
      checks = List.copyOf(checks);
    }

    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  /**
   * @param photos image files in the folder
   * @param uninterruptedSeconds the measuring run, from JVM start to exit
   * @param rounds every kill
   * @param finalRun the completing run (null when the measuring run already failed)
   * @param setup checks of the measuring run
   */
  public record Report(int photos, double uninterruptedSeconds, List<Round> rounds, FinalRun finalRun, List<Check> setup) {
    public Report {
      rounds = List.copyOf(rounds);
      setup = List.copyOf(setup);
    }

    public boolean passed() {
      return setup.stream().allMatch(Check::passed) && rounds.stream().allMatch(Round::passed)
          && finalRun != null && finalRun.passed();
    }

    public long killed() {
      return rounds.stream().filter(Round::killed).count();
    }

    /** The last line: kills, moments, each check's tally and the final run's verdicts. */
    public String summaryLine() {
      String moments = rounds.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.momentSeconds()))
          .collect(Collectors.joining(", "));
      String tally = IndexChecks.tally(rounds.stream().map(Round::checks).toList()).entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1]).collect(Collectors.joining(", "));
      String last = finalRun == null ? "not run"
          : finalRun.checks().stream().map(c -> c.passed() ? c.name() + " ok" : c.toString()).collect(Collectors.joining(", "));
      return String.format(Locale.ROOT, "kill-index %s: %d photos, uninterrupted run %.2f s; %d rounds (%d killed, %d ended"
              + " before their moment, each starting a fresh index) at %s s; after each: %s; final run: %s",
          passed() ? "PASS" : "FAIL", photos, uninterruptedSeconds, rounds.size(), killed(), rounds.size() - killed(),
          moments.isEmpty() ? "-" : moments, tally.isEmpty() ? "-" : tally, last);
    }
  }

  private KillIndexHarness() {}

  /** Runs the whole harness, printing one line per kill to {@code out}. */
  public static Report run(Settings settings, PrintWriter out) throws IOException, InterruptedException {
    PhotoFolder photos = PhotoFolder.of(settings.photos());
    if (photos.size() == 0) {
      throw UserError.failure("there are no image files in " + photos.dir());
    }
    boolean temporary = settings.workDir() == null;
    Path work = temporary ? Files.createTempDirectory("imgsearch-kill-index") : Files.createDirectories(settings.workDir());
    try {
      return run(settings, photos, work, out);
    } finally {
      if (temporary) {
        FileTrees.delete(work);
      }
    }
  }

  private static Report run(Settings settings, PhotoFolder photos, Path work, PrintWriter out)
      throws IOException, InterruptedException {
    IndexChecks checks = new IndexChecks(photos);
    Random random = new Random(settings.seed());
    long timeout = settings.runTimeout().toSeconds();

    // An uninterrupted run first: how long a run takes on this machine, and proof that one can complete at all.
    Path measuringIndex = work.resolve("uninterrupted-index");
    ChildJvm measuring = ChildJvm.start(indexArgs(settings, photos, measuringIndex), work.resolve("uninterrupted.log"));
    int measuringExit = measuring.waitFor(timeout);
    double total = measuring.elapsedNanos() / 1e9;
    double startup = measuring.firstOutputNanos().orElse(0L) / 1e9;
    FileTrees.delete(measuringIndex);
    Check setup = Check.of("uninterrupted-run", measuringExit == 0, String.format(Locale.ROOT,
        "exit %d in %.2f s, first output after %.2f s%s", measuringExit, total, startup,
        measuringExit == 0 ? "" : ": " + tail(measuring.output())));
    out.printf(Locale.ROOT, "%d photos in %s; uninterrupted run: %s%n", photos.size(), photos.dir(), setup);
    out.flush();
    if (!setup.passed()) {
      return new Report(photos.size(), total, List.of(), null, List.of(setup));
    }

    Path index = work.resolve("index");
    List<Round> rounds = new ArrayList<>();
    boolean everCommitted = false;
    for (int i = 1; i <= settings.kills(); i++) {
      // Spread over a whole run: a resumed run is no longer than a fresh one, so every phase can be hit.
      double window = total;
      double moment = random.nextDouble() * window;
      ChildJvm child = ChildJvm.start(indexArgs(settings, photos, index), work.resolve("run-" + i + ".log"));
      boolean running = child.runUntil((long) (moment * 1e9));
      int exit = running ? child.kill() : child.waitFor(timeout);
      List<Check> roundChecks = new ArrayList<>();
      roundChecks.add(running ? Check.pass("child-exit", "SIGKILL, exit " + exit)
          : Check.of("child-exit", exit == 0, "ended by itself before its moment, exit " + exit
              + (exit == 0 ? "" : ": " + tail(child.output()))));
      // A run that ended by itself with exit 0 must have indexed every photo.
      boolean completed = !running && exit == 0;
      IndexChecks.IndexState state = checks.inspect(index, everCommitted, completed, random);
      roundChecks.addAll(state.checks());
      Round round = new Round(i, moment, window, running, exit, state.images(), roundChecks);
      rounds.add(round);
      out.println(describe(round, settings.kills()) + (completed ? "; the next round starts a fresh index" : ""));
      out.flush();
      if (completed) {
        // Kills of a run with nothing left to do would only hit the JVM start: begin again from nothing.
        FileTrees.delete(index);
        everCommitted = false;
      } else {
        everCommitted |= state.committed();
      }
    }

    ChildJvm last = ChildJvm.start(indexArgs(settings, photos, index), work.resolve("final.log"));
    int exit = last.waitFor(timeout);
    double seconds = last.elapsedNanos() / 1e9;
    String output = last.output();
    String summary = output.lines().filter(l -> l.startsWith("Done") || l.startsWith("Stopped")).findFirst().orElse("");
    List<Check> finalChecks = new ArrayList<>();
    finalChecks.add(Check.of("final-exit", exit == 0, "exit " + exit + (exit == 0 ? "" : ": " + tail(output))));
    IndexChecks.IndexState state = checks.inspect(index, everCommitted, true, random);
    finalChecks.addAll(state.checks());
    FinalRun finalRun = new FinalRun(exit, seconds, summary, state.images(), finalChecks);
    out.printf(Locale.ROOT, "final run: %.2f s, \"%s\"; %s%n", seconds, summary,
        finalChecks.stream().map(Check::toString).collect(Collectors.joining(", ")));
    Report report = new Report(photos.size(), total, rounds, finalRun, List.of(setup));
    out.println(report.summaryLine());
    out.flush();
    return report;
  }

  private static List<String> indexArgs(Settings settings, PhotoFolder photos, Path index) {
    List<String> args = new ArrayList<>(List.of("index", photos.dir().toString(), "--index", index.toString()));
    args.addAll(settings.indexOptions());
    return args;
  }

  static String describe(Round r, int of) {
    String verdicts = r.checks().stream().map(c -> c.passed() ? c.name() + " ok" : c.toString())
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "kill %2d/%d at %5.2f s (window %.2f s): %s, %d images committed; %s", r.number(), of,
        r.momentSeconds(), r.windowSeconds(), r.killed() ? "killed" : "the run ended first", r.images(), verdicts);
  }

  private static String tail(String output) {
    String t = output.strip();
    return t.length() <= 600 ? t : "..." + t.substring(t.length() - 600);
  }
}
