package imgsearch.cli;

import imgsearch.crawl.CrawlOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The whole job in one command: (crawl,) index, serve. Each step is the {@code crawl}, {@code index} or
 * {@code serve} command's own run with its default options (the {@link imgsearch.crawl.Crawler}, the
 * {@link imgsearch.index.Indexer}, the {@link imgsearch.web.WebServer}), so it reports as they do.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Index a folder of photos and serve the search page, all in one command.",
        "Without DIR: first crawl a few themes from Flickr (the keyless public feed, or the API when "
            + "FLICKR_API_KEY is set) into a data folder, with a train/test split, then index and serve it."})
final class DemoCommand implements Callable<Integer> {

  static final String DEFAULT_TERMS = "red fox, sailing boat, lighthouse, tulips, mountain lake";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "0..1", description = "A folder of your photos (default: crawl some).")
  Path dir;

  @Mixin IndexLocation location;

  @Mixin ModelLocation models;

  @Option(names = "--terms", paramLabel = "TERMS", description = "Themes to crawl without DIR (default \"${DEFAULT-VALUE}\").")
  String terms = DEFAULT_TERMS;

  @Option(names = "--data", paramLabel = "DIR", description = "Where crawled photos go (default: next to the index, in demo-data).")
  Path data;

  @Option(names = "--per-term", paramLabel = "N", description = "Photos per theme (default ${DEFAULT-VALUE}).")
  int perTerm = 40;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to serve on (default ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "N", description = "Port to serve on (default ${DEFAULT-VALUE}).")
  int port = 7070;

  /** The serve step once it has begun (tests stop it; Ctrl+C stops it otherwise). */
  volatile ServeCommand serving;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path indexDir = location.path();
    Path photos = dir;
    if (photos == null) {
      photos = data != null ? data.toAbsolutePath() : indexDir.resolveSibling("demo-data");
      URI flickr = System.getenv("FLICKR_API_KEY") != null ? CrawlOptions.DEFAULT_FLICKR_ENDPOINT
          : CrawlOptions.DEFAULT_FEED_ENDPOINT;
      String unreachable = unreachableReason(flickr);
      if (unreachable != null && !hasImages(photos)) {
        err.println("imgsearch demo: Flickr cannot be reached from here (" + unreachable
            + "); try: imgsearch demo <a folder of your photos>");
        return 1;
      }
      StringWriter crawlErrors = new StringWriter();
      PrintWriter crawlErr = new PrintWriter(crawlErrors, true);
      CrawlCommand crawl = CrawlCommand.of(terms, photos, perTerm);
      int crawled = step("crawl", crawlErr, () -> crawl.run(out, crawlErr));
      if (!hasImages(photos)) {
        err.println("imgsearch demo: Flickr cannot be reached from here (" + firstLine(crawlErrors.toString())
            + "); try: imgsearch demo <a folder of your photos>");
        return 1;
      }
      if (crawled != 0) {
        err.println("imgsearch demo: the crawl was incomplete (" + firstLine(crawlErrors.toString())
            + "); going on with the photos it kept");
      }
    } else if (!Files.isDirectory(photos)) {
      throw UserError.usage(photos + " is not a folder");
    }
    Path folder = photos;
    int indexed = step("index", err, () -> IndexCommand.of(folder, location, models).run(out, err));
    if (indexed != 0) {
      return indexed;
    }
    serving = ServeCommand.of(location, models, host, port);
    return step("serve", err, () -> serving.run(out, err));
  }

  /**
   * Runs one step; a failure is said as the step's own command says it ({@code imgsearch index: ...}) and
   * gives its exit code, so that the demo reads as running the three commands.
   */
  private int step(String name, PrintWriter stepErr, Callable<Integer> run) {
    try {
      return run.call();
    } catch (Exception e) {
      return Main.explain(e, name, stepErr, spec.commandLine().getColorScheme());
    }
  }

  /** Null when the host answers at all (any HTTP status), else why not. */
  private static String unreachableReason(URI uri) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
      return null;
    } catch (IOException e) {
      return uri.getHost() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static boolean hasImages(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.anyMatch(p -> Files.isRegularFile(p) && imgsearch.image.ImageFiles.hasImageExtension(p)
          && (p.toString().contains("/train/") || p.toString().contains("/test/")));
    }
  }

  private static String firstLine(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return "no photo could be downloaded";
    }
    String line = trimmed.lines().findFirst().orElse(trimmed);
    return line.replaceFirst("^imgsearch crawl: ", "");
  }
}
