package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import imgsearch.crawl.CrawlOptions;
import imgsearch.crawl.SourceKind;
import imgsearch.crawl.TimeSource;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CrawlCommandTest {

  static final String KEY = "cli-test-key-0a1b2c3d4e5f";

  @TempDir
  Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final Map<String, String> env = new HashMap<>();

  /** A clock whose sleeps return at once (and move it on), so that retry backoffs cost no real time. */
  static final class NoWaitClock implements TimeSource {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public Instant now() {
      return Instant.parse("2024-06-01T12:00:00Z").plusNanos(nanos.get());
    }

    @Override
    public void sleep(Duration d) {
      nanos.addAndGet(Math.max(0, d.toNanos()));
    }
  }

  CrawlCommand command() {
    env.putIfAbsent("XDG_CONFIG_HOME", dir.resolve("config").toString());
    CrawlCommand c = new CrawlCommand();
    c.env = env;
    c.time = new NoWaitClock();
    c.jitter = new Random(7);
    return c;
  }

  int run(CrawlCommand c, String... args) {
    return new CommandLine(c).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  CrawlOptions parse(String... args) throws IOException {
    CrawlCommand c = command();
    new CommandLine(c).parseArgs(args);
    return c.options();
  }

  @Test
  void helpExplainsWhereTheKeyComesFrom() {
    assertEquals(0, run(command(), "--help"));
    String help = out.toString();
    assertTrue(help.contains("FLICKR_API_KEY"), help);
    assertTrue(help.contains("flickr.properties"), help);
    assertTrue(help.contains("--terms-file"), help);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(2, run(command(), "--out", dir.toString()));
    assertTrue(err.toString().contains("no search terms"), err.toString());
    assertEquals(2, run(command(), "--terms", "owl", "--out", dir.toString(), "--source", "bing"));
    assertTrue(err.toString().contains("unknown source 'bing'"), err.toString());
    assertEquals(2, run(command(), "--terms", "owl", "--out", dir.toString(), "--test-ratio", "1.5"));
    assertEquals(2, run(command(), "--terms", "owl", "--out", dir.toString(), "--source", "flickr"));
    assertTrue(err.toString().contains("FLICKR_API_KEY"), err.toString());
    assertEquals(2, run(command(), "--terms", "owl"), "--out is required");
    assertFalse(err.toString().contains("\tat "), "no stack traces: " + err);
  }

  @Test
  void termsComeFromTheOptionAndTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("terms.txt"), "# birds\nheron\n\n  sailing boat \nheron\n");
    CrawlOptions o = parse("--terms", "red fox, lighthouse,,", "--terms-file", file.toString(), "--out", dir.toString(),
        "--per-term", "7", "--seed", "9", "--test-ratio", "0.3", "--licenses", "4,5");
    assertEquals(List.of("red fox", "lighthouse", "heron", "sailing boat"), o.terms());
    assertEquals(7, o.perTerm());
    assertEquals(9, o.seed());
    assertEquals(0.3, o.testRatio());
    assertEquals(SourceKind.FLICKR_FEED, o.source(), "no key: the feed");
    assertNull(o.flickr().apiKey());
  }

  @Test
  void theKeyComesFromTheEnvironmentOrTheConfigFile() throws IOException {
    Path config = dir.resolve("config/imgsearch/flickr.properties");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "api_key=from-file\napi_secret=file-secret\nendpoint=http://127.0.0.1:9/services/rest/\n");
    CrawlOptions fromFile = parse("--terms", "owl", "--out", dir.toString());
    assertEquals(SourceKind.FLICKR, fromFile.source());
    assertEquals("from-file", fromFile.flickr().apiKey());
    assertEquals("file-secret", fromFile.flickr().apiSecret());
    assertEquals("http://127.0.0.1:9/services/rest/", fromFile.flickr().endpoint().toString());

    env.put("FLICKR_API_KEY", KEY);
    CrawlOptions fromEnv = parse("--terms", "owl", "--out", dir.toString(), "--flickr-endpoint", "http://127.0.0.1:8/x/");
    assertEquals(KEY, fromEnv.flickr().apiKey(), "the environment wins");
    assertNull(fromEnv.flickr().apiSecret(), "no secret mixed from another place");
    assertEquals("http://127.0.0.1:8/x/", fromEnv.flickr().endpoint().toString());
    assertFalse(fromEnv.toString().contains(KEY));
  }

  @Test
  void crawlsTheFeedAndPrintsASummary() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/feed", ex -> {
      String atom = """
          <?xml version="1.0" encoding="utf-8"?>
          <feed xmlns="http://www.w3.org/2005/Atom" xmlns:flickr="urn:flickr:user">
            <entry><title>One</title><id>tag:flickr.com,2005:/photo/101</id>
              <link rel="alternate" type="text/html" href="https://www.flickr.com/photos/x/101/"/>
              <link rel="enclosure" type="image/jpeg" href="BASE/img/101.jpg"/></entry>
            <entry><title>Two</title><id>tag:flickr.com,2005:/photo/102</id>
              <link rel="alternate" type="text/html" href="https://www.flickr.com/photos/x/102/"/>
              <link rel="enclosure" type="image/jpeg" href="BASE/img/102.jpg"/></entry>
          </feed>""".replace("BASE", base);
      send(ex, atom.getBytes(StandardCharsets.UTF_8));
    });
    server.createContext("/img/101.jpg", ex -> send(ex, TestImages.jpeg(TestImages.photoLike(101, 200, 150), 0.9f)));
    server.createContext("/img/102.jpg", ex -> send(ex, TestImages.jpeg(TestImages.photoLike(102, 200, 150), 0.9f)));
    server.start();
    try {
      Path data = dir.resolve("data");
      int code = run(command(), "--terms", "owl", "--out", data.toString(), "--feed-endpoint", base + "/feed",
          "--min-size", "50", "--per-term", "5");
      assertEquals(0, code, err.toString());
      assertTrue(out.toString().contains("Kept 2 image(s) in 1 class(es)"), out.toString());
      assertTrue(out.toString().contains("imgsearch index"), out.toString());
      assertTrue(Files.exists(data.resolve("manifest.jsonl")));
      assertTrue(Files.exists(data.resolve("crawl-report.json")));
      assertEquals(2, Files.readAllLines(data.resolve("manifest.jsonl")).size());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void failsWhenNothingCouldBeDownloadedAndCountsEachReasonOnce() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    StringBuilder entries = new StringBuilder();
    for (int id = 201; id <= 205; id++) {
      entries.append("<entry><title>T</title><id>tag:flickr.com,2005:/photo/").append(id).append("</id>")
          .append("<link rel=\"alternate\" type=\"text/html\" href=\"https://www.flickr.com/photos/x/").append(id)
          .append("/\"/><link rel=\"enclosure\" type=\"image/jpeg\" href=\"").append(base).append("/img/")
          .append(id).append(".jpg\"/></entry>");
    }
    byte[] atom = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">" + entries
        + "</feed>").getBytes(StandardCharsets.UTF_8);
    server.createContext("/feed", ex -> send(ex, atom));
    AtomicInteger imageRequests = new AtomicInteger();
    server.createContext("/img/", ex -> { // the image host is down: every image answers 503
      imageRequests.incrementAndGet();
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.start();
    try {
      Path data = dir.resolve("data");
      int code = run(command(), "--terms", "owl", "--out", data.toString(), "--feed-endpoint", base + "/feed",
          "--per-term", "5");
      assertEquals(1, code, "nothing kept, every candidate failed for network reasons: " + err);
      assertEquals(20, imageRequests.get(), "5 images, 4 attempts each");
      assertTrue(err.toString().contains("nothing could be downloaded (5 network-error)"), err.toString());
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
      String summary = out.toString();
      assertTrue(summary.contains("Rejected in this run: 5 network-error (the next run tries network-error again)"),
          summary);
      assertEquals(1, summary.lines().filter(l -> l.contains("network-error")).count(), "one line, not one per file: " + summary);
      List<String> rejected = Files.readAllLines(data.resolve("rejected.jsonl"));
      assertEquals(5, rejected.size(), "the details per file are in rejected.jsonl");
      assertTrue(rejected.stream().allMatch(l -> l.contains("\"detail\":\"HTTP 503 after 4 attempts\"")), rejected.toString());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableFeedIsOneLineForAllTerms() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort(); // free once closed: connections are refused
    }
    int code = run(command(), "--terms", "owl, heron", "--out", dir.resolve("data").toString(),
        "--feed-endpoint", "http://127.0.0.1:" + closedPort + "/feed");
    assertEquals(1, code, err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("imgsearch crawl: 2 terms (owl, heron): could not read the Flickr feed"),
        err.toString());
  }

  @Test
  void anUnwritableOutputIsAOneLineFailure() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertEquals(1, run(command(), "--terms", "owl", "--out", file.resolve("data").toString(),
        "--feed-endpoint", "http://127.0.0.1:9/feed"));
    assertTrue(err.toString().startsWith("imgsearch crawl: "), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  private static void send(com.sun.net.httpserver.HttpExchange ex, byte[] body) throws IOException {
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }
}
