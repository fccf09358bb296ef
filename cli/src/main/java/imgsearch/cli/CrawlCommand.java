package imgsearch.cli;

import imgsearch.crawl.ConsoleProgress;
import imgsearch.crawl.CrawlException;
import imgsearch.crawl.CrawlOptions;
import imgsearch.crawl.CrawlReport;
import imgsearch.crawl.Crawler;
import imgsearch.crawl.SourceKind;
import imgsearch.crawl.TimeSource;
import imgsearch.crawl.clean.CleaningOptions;
import imgsearch.crawl.clean.RejectReason;
import imgsearch.crawl.download.DownloadSettings;
import imgsearch.crawl.source.FlickrConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code imgsearch crawl}: photos for search terms, cleaned and split into train/test. */
@Command(name = "crawl", mixinStandardHelpOptions = true,
    description = {"Download photos for search terms into a clean, attributed train/test collection.",
        "It writes:",
        "  DATA/train/<class>/<id>.jpg, DATA/test/<class>/<id>.jpg, DATA/manifest.jsonl (attribution),",
        "  DATA/rejected.jsonl (what was dropped and why), DATA/crawl-report.json.",
        "Each term is a class. Running again resumes: kept images are not downloaded again and keep their "
            + "split; a larger --per-term adds images."},
    footer = {"",
        "Flickr API key: set FLICKR_API_KEY (and FLICKR_API_SECRET if you have one), or write",
        "  api_key=...  and  api_secret=...  to ~/.config/imgsearch/flickr.properties",
        "  ($XDG_CONFIG_HOME/imgsearch/flickr.properties when XDG_CONFIG_HOME is set).",
        "  The key is never taken from the command line (it would show in process lists) and never printed.",
        "  The same file may set endpoint=URL and feed_endpoint=URL (mirrors, proxies).",
        "Without a key the default source is flickr-feed, Flickr's public feed: only about 20 recent photos per term.",
        "Downloads that fail in passing (timeouts, broken connections, HTTP 5xx and 429) are retried with backoff;",
        "  those that still fail are tried again by the next run, other rejections are not.",
        "Exit codes: 0 done, 1 failed or stopped (run again to resume; also when nothing could be downloaded),",
        "  2 bad arguments."})
final class CrawlCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--terms", paramLabel = "TERMS", description = "Search terms, comma-separated, e.g. \"red fox, sailing boat\".")
  String terms;

  @Option(names = "--terms-file", paramLabel = "FILE", description = "A file with one search term per line (# starts a comment).")
  Path termsFile;

  @Option(names = "--out", required = true, paramLabel = "DATA", description = "The collection folder (created if needed).")
  Path out;

  @Option(names = "--per-term", paramLabel = "N", description = "Images to keep per term, earlier runs included (default ${DEFAULT-VALUE}).")
  int perTerm = 200;

  @Option(names = "--source", paramLabel = "SOURCE",
      description = "flickr (the API; default with a key), flickr-feed (keyless; default without), or web.")
  String source;

  @Option(names = "--test-ratio", paramLabel = "R", description = "Share of each class in test/ (default ${DEFAULT-VALUE}).")
  double testRatio = 0.2;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the train/test split (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--licenses", split = ",", paramLabel = "ID",
      description = "Flickr licence ids allowed, e.g. 4,5,9,10 (default: every reusable one, i.e. all but 0, all rights reserved).")
  List<String> licenses;

  @Option(names = "--flickr-endpoint", paramLabel = "URL", description = "Flickr REST endpoint (default https://api.flickr.com/services/rest/).")
  URI flickrEndpoint;

  @Option(names = "--feed-endpoint", paramLabel = "URL", description = "Flickr public feed URL (default https://www.flickr.com/services/feeds/photos_public.gne).")
  URI feedEndpoint;

  @Option(names = "--seed-url", paramLabel = "URL",
      description = "Start page for --source web (repeatable); {term} in it is replaced by the term.")
  List<String> seedUrls = new ArrayList<>();

  @Option(names = "--depth", paramLabel = "N", description = "Same-site links followed from a seed page (default ${DEFAULT-VALUE}).")
  int depth = 1;

  @Option(names = "--politeness-ms", paramLabel = "MS",
      description = "Least time between requests to one web site (default ${DEFAULT-VALUE}; robots.txt Crawl-delay may raise it).")
  long politenessMs = 1000;

  @Option(names = "--min-size", paramLabel = "PX", description = "Drop images narrower or lower than this (default ${DEFAULT-VALUE}).")
  int minSize = 100;

  @Option(names = "--max-image-mb", paramLabel = "MB", description = "Largest image file downloaded (default ${DEFAULT-VALUE}).")
  int maxImageMb = 20;

  @Option(names = "--concurrency", paramLabel = "N", description = "Downloads at once (default ${DEFAULT-VALUE}; at most 2 per host).")
  int concurrency = 4;

  @Option(names = "--timeout-s", paramLabel = "S", description = "Seconds to wait for a server to answer (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 30;

  @Option(names = "--calls-per-hour", paramLabel = "N", description = "Flickr API calls per hour at most (default ${DEFAULT-VALUE}; Flickr allows 3600).")
  int callsPerHour = 3000;

  /** The environment; tests replace it. */
  Map<String, String> env = System.getenv();

  /** The clock retries and politeness wait on; tests replace it with one that does not really wait. */
  TimeSource time = TimeSource.SYSTEM;

  /** Where the jitter of download retries comes from; tests seed it. */
  Random jitter = new Random();

  /** Crawling {@code terms} (comma-separated) into {@code out}, as {@code imgsearch crawl --terms --out} does. */
  static CrawlCommand of(String terms, Path out, int perTerm) {
    CrawlCommand command = new CrawlCommand();
    command.terms = terms;
    command.out = out;
    command.perTerm = perTerm;
    return command;
  }

  @Override
  public Integer call() {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Runs the {@link Crawler}: the summary goes to {@code out}, failures to {@code err}; the exit code. */
  int run(PrintWriter out, PrintWriter err) {
    CrawlOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException | IOException e) {
      err.println("imgsearch crawl: " + e.getMessage());
      return 2;
    }
    return crawl(options, out, err);
  }

  CrawlOptions options() throws IOException {
    List<String> all = termList();
    FlickrConfig config = FlickrConfig.load(env, FlickrConfig.defaultFile(env));
    SourceKind kind = source == null ? null : SourceKind.fromId(source);
    if (kind == SourceKind.FLICKR && !config.hasKey()) {
      throw new IllegalArgumentException("--source flickr needs a Flickr API key: set FLICKR_API_KEY or put api_key=... in "
          + FlickrConfig.defaultFile(env) + " (or use --source flickr-feed, which needs none)");
    }
    CrawlOptions.Builder b = CrawlOptions.builder(all, out)
        .perTerm(perTerm)
        .source(kind)
        .testRatio(testRatio)
        .seed(seed)
        .flickrApiKey(config.apiKey())
        .flickrApiSecret(config.apiSecret())
        .licenses(licenses == null ? null : Set.copyOf(licenses.stream().map(String::strip).toList()))
        .apiCallsPerHour(callsPerHour)
        .seedUrls(seedUrls)
        .depth(depth)
        .politeness(Duration.ofMillis(politenessMs))
        .cleaning(CleaningOptions.defaults().withMinSize(minSize, minSize))
        .download(DownloadSettings.defaults()
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(4L * timeoutSeconds))
            .withMaxBytes((long) maxImageMb << 20)
            .withConcurrency(concurrency, Math.min(2, concurrency)));
    URI api = flickrEndpoint != null ? flickrEndpoint : config.endpoint();
    if (api != null) {
      b.flickrEndpoint(checkedUrl(api, "--flickr-endpoint"));
    }
    URI feed = feedEndpoint != null ? feedEndpoint : config.feedEndpoint();
    if (feed != null) {
      b.feedEndpoint(checkedUrl(feed, "--feed-endpoint"));
    }
    return b.build();
  }

  private static URI checkedUrl(URI uri, String what) {
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an http(s) URL, got " + uri);
    }
    return uri;
  }

  List<String> termList() throws IOException {
    Set<String> all = new LinkedHashSet<>();
    if (terms != null) {
      for (String t : terms.split(",")) {
        if (!t.isBlank()) {
          all.add(t.strip());
        }
      }
    }
    if (termsFile != null) {
      if (!Files.isRegularFile(termsFile)) {
        throw new IllegalArgumentException("--terms-file " + termsFile + " is not a readable file");
      }
      for (String line : Files.readAllLines(termsFile)) {
        String t = line.replaceFirst("#.*", "").strip();
        if (!t.isEmpty()) {
          all.add(t);
        }
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no search terms: pass --terms \"red fox, lighthouse\" or --terms-file FILE");
    }
    return new ArrayList<>(all);
  }

  private int crawl(CrawlOptions options, PrintWriter out, PrintWriter err) {
    out.printf("Crawling %d term(s) from %s into %s%n", options.terms().size(), options.source(),
        options.out().toAbsolutePath().normalize());
    if (options.source() == SourceKind.FLICKR_FEED) {
      out.println("No Flickr API key: using the public feed, which gives only about 20 recent photos per term.");
    }
    Crawler crawler = new Crawler(options, time, jitter);
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C: stop after the image being stored; the collection stays consistent and the next run resumes.
    Thread hook = new Thread(() -> {
      crawler.cancel();
      try {
        finished.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "imgsearch-crawl-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      CrawlReport report = crawler.run(ConsoleProgress.forConsole(System.err));
      printSummary(out, options, report);
      if (report.interrupted()) {
        err.println("imgsearch crawl: stopped before the end; run the same command again to resume");
        return 1;
      }
      int code = 0;
      if (report.anyTermFailed()) {
        printTermFailures(err, report);
        code = 1;
      }
      if (report.nothingKeptOnlyTransientFailures()) {
        err.println("imgsearch crawl: nothing could be downloaded (" + counts(report.totals().rejectedThisRun())
            + "): the servers may be unreachable; run the same command again later to retry them");
        code = 1;
      }
      return code;
    } catch (CrawlException | IOException e) {
      err.println("imgsearch crawl: " + e.getMessage());
      return 1;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: nothing to remove
      }
    }
  }

  /** Each distinct failure once, with the terms it hit: an unreachable source fails every term alike. */
  private static void printTermFailures(PrintWriter err, CrawlReport report) {
    Map<String, List<String>> termsByError = new LinkedHashMap<>();
    report.terms().stream().filter(t -> t.error() != null)
        .forEach(t -> termsByError.computeIfAbsent(t.error(), e -> new ArrayList<>()).add(t.term()));
    termsByError.forEach((error, terms) -> err.println("imgsearch crawl: " + (terms.size() == 1 ? terms.get(0)
        : terms.size() + " terms (" + String.join(", ", terms) + ")") + ": " + error));
  }

  /** "38 network-error, 2 too-small": each reason once, the most frequent first. */
  private static String counts(Map<String, Integer> byReason) {
    return byReason.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  private static void printSummary(PrintWriter out, CrawlOptions options, CrawlReport report) {
    CrawlReport.Totals t = report.totals();
    out.printf("%nKept %d image(s) in %d class(es): %d train, %d test (%d new in this run).%n", t.kept(),
        report.terms().size(), t.train(), t.test(), t.keptThisRun());
    for (CrawlReport.TermReport term : report.terms()) {
      out.printf("  %-24s %4d/%d kept  (%d train, %d test)%s%n", term.label(), term.kept(), term.target(), term.train(),
          term.test(), term.error() == null ? "" : "  FAILED");
    }
    // Counts per reason, never a line per file: the details of each are in rejected.jsonl.
    if (!t.rejectedThisRun().isEmpty()) {
      List<String> transientOnes = t.rejectedThisRun().keySet().stream().filter(code -> {
        RejectReason r = RejectReason.fromCode(code);
        return r != null && r.isTransient();
      }).toList();
      out.printf("Rejected in this run: %s%s%n", counts(t.rejectedThisRun()), transientOnes.isEmpty() ? ""
          : " (the next run tries " + String.join(" and ", transientOnes) + " again)");
    }
    if (!t.rejected().isEmpty() && !t.rejected().equals(t.rejectedThisRun())) {
      out.printf("Rejected in the collection (all runs): %s%n", counts(t.rejected()));
    }
    for (String note : report.notes()) {
      out.println("Note: " + note);
    }
    Path root = options.out().toAbsolutePath().normalize();
    out.printf("Manifest: %s; rejections: %s; report: %s%n", root.resolve("manifest.jsonl"),
        root.resolve("rejected.jsonl"), root.resolve("crawl-report.json"));
    out.printf("Next: imgsearch index %s%n", root);
  }
}
