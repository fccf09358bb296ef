package imgsearch.cli;

import imgsearch.eval.EvaluationException;
import imgsearch.model.ModelUnavailableException;
import imgsearch.search.InvalidQueryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code imgsearch} command line: one subcommand per job. */
@Command(name = "imgsearch", mixinStandardHelpOptions = true, version = "imgsearch 0.1.0",
    description = "Build an image collection and find similar images in it.")
public final class Main implements Runnable {

  /** A subcommand: its name (as its {@code @Command} gives it) and what picocli is to set up for it. */
  record Subcommand(String name, Supplier<Object> command) {}

  /**
   * Every subcommand, in the order {@code --help} lists them. A command line that starts with one of their
   * names sets up only that one: picocli reads the options of every command it is given, which cost each
   * start 0.13 s (BENCHMARKS.md).
   */
  static final List<Subcommand> SUBCOMMANDS = List.of(
      new Subcommand("demo", () -> DemoCommand.class),
      new Subcommand("crawl", () -> CrawlCommand.class),
      new Subcommand("index", () -> IndexCommand.class),
      new Subcommand("search", () -> SearchCommand.class),
      new Subcommand("serve", () -> ServeCommand.class),
      new Subcommand("duplicates", () -> DuplicatesCommand.class),
      new Subcommand("eval", () -> EvalCommand.class),
      new Subcommand("info", () -> InfoCommand.class),
      new Subcommand("models", () -> ModelsCommand.class),
      new Subcommand("warm-up", () -> WarmUpCommand.class),
      new Subcommand("bench", Main::benchCommand),
      new Subcommand("help", CommandLine.HelpCommand::new));

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // Lucene announces its vector support on every start; keep its warnings only.
    java.util.logging.Logger lucene = java.util.logging.Logger.getLogger("org.apache.lucene");
    lucene.setLevel(java.util.logging.Level.WARNING);
    int exit = run(args);
    java.lang.ref.Reference.reachabilityFence(lucene); // a logger's level lasts only while it is referenced
    System.exit(exit);
  }

  /** Runs the command line and returns its exit code: 0 ok, 1 runtime failure, 2 usage error. */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to the given streams (tests capture them). */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    // `help` lists and explains the others: it needs them all, as does any other command line.
    String named = args.length > 0 && !args[0].equals("help") ? args[0] : null;
    boolean justOne = SUBCOMMANDS.stream().anyMatch(c -> c.name().equals(named));
    for (Subcommand c : SUBCOMMANDS) {
      if (!justOne || c.name().equals(named)) {
        commandLine.addSubcommand(c.name(), c.command().get());
      }
    }
    return commandLine
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(Main::explain)
        .execute(args);
  }

  /**
   * {@code bench}: the speed measurements of the bench module when its jar is on the classpath (the launcher
   * runs {@code ./imgsearch bench ...} from it), otherwise {@link BenchNotBuilt}. Looked up by name because
   * the shipped jar carries no benchmark code, and the bench module depends on this one, not the reverse.
   */
  private static Object benchCommand() {
    try {
      return Class.forName("imgsearch.cli.BenchCommand");
    } catch (ClassNotFoundException e) {
      return new BenchNotBuilt();
    }
  }

  /** {@code bench} in a build without the bench module: listed by {@code --help}, says how to run it. */
  @Command(name = "bench", description = "Measure indexing, queries, scans and duplicate finding (the bench module,"
      + " which ./imgsearch bench ... builds and runs).")
  static final class BenchNotBuilt implements Callable<Integer> {
    @CommandLine.Unmatched
    List<String> args;

    @Override
    public Integer call() {
      throw UserError.failure("the benchmarks are not in this jar: from a source checkout, ./imgsearch bench ... builds"
          + " and runs them (or ./mvnw -pl bench -am package, then java -jar bench/target/imgsearch-bench.jar bench ...)");
    }
  }

  /**
   * Failures of what the user asked (bad files, missing index, unknown descriptor, a model that cannot be
   * had, ...) print one line that says what was wrong; anything else, an {@link IllegalArgumentException}
   * or {@link IllegalStateException} included, is a bug and keeps its stack trace. IMGSEARCH_DEBUG=1 shows
   * every trace. The exit code: 2 for wrong arguments, else 1.
   */
  static int explain(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    return explain(e, cmd.getCommandName(), cmd.getErr(), cmd.getColorScheme());
  }

  /** As {@link #explain(Exception, CommandLine, CommandLine.ParseResult)}, for a step named {@code command}. */
  static int explain(Exception e, String command, java.io.PrintWriter err, CommandLine.Help.ColorScheme colours) {
    boolean expected = e instanceof UserError || e instanceof IOException || e instanceof UncheckedIOException
        || e instanceof InvalidQueryException || e instanceof EvaluationException
        || e instanceof ModelUnavailableException;
    if (!expected || System.getenv("IMGSEARCH_DEBUG") != null) {
      e.printStackTrace(err);
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      message = "no such file: " + message;
    }
    err.println(colours.errorText("imgsearch " + command + ": " + message));
    if (e instanceof UserError u && u.usage()) {
      return 2;
    }
    return 1;
  }
}
