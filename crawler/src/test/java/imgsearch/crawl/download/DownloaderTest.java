package imgsearch.crawl.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import imgsearch.crawl.CrawlOptions.RetrySettings;
import imgsearch.crawl.CrawlOptions;
import imgsearch.crawl.FakeTime;
import imgsearch.crawl.TimeSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DownloaderTest {

  HttpServer server;
  ExecutorService executor;
  CountDownLatch release = new CountDownLatch(1);
  Downloader downloader;
  AtomicInteger concurrent = new AtomicInteger();
  AtomicInteger maxConcurrent = new AtomicInteger();
  CountDownLatch bothArrived = new CountDownLatch(2);
  FakeTime time = new FakeTime();
  Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  /** Tries 4 times, 1 s first backoff, on the fake clock, with seeded jitter. */
  Downloader retrying;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/ok", ex -> respond(ex, 200, new byte[] {1, 2, 3}, true));
    server.createContext("/big-declared", ex -> respond(ex, 200, new byte[5000], true));
    server.createContext("/big-chunked", ex -> respond(ex, 200, new byte[5000], false));
    server.createContext("/missing", ex -> respond(ex, 404, new byte[100], true));
    server.createContext("/hang", ex -> {
      await(release);
      ex.close();
    });
    server.createContext("/loop-a", ex -> redirect(ex, "/loop-b"));
    server.createContext("/loop-b", ex -> redirect(ex, "/loop-a"));
    server.createContext("/chain-1", ex -> redirect(ex, "/chain-2"));
    server.createContext("/chain-2", ex -> redirect(ex, "/chain-3"));
    server.createContext("/chain-3", ex -> redirect(ex, "/ok"));
    server.createContext("/slow", ex -> {
      int now = concurrent.incrementAndGet();
      maxConcurrent.accumulateAndGet(now, Math::max);
      // The first two requests wait for each other, so they surely overlap; were there no bound, the
      // other six would pile up on them.
      bothArrived.countDown();
      await(bothArrived);
      concurrent.decrementAndGet();
      respond(ex, 200, new byte[] {7}, true);
    });
    failFirst("/flaky", 3, 500, Map.of());
    failFirst("/always-500", Integer.MAX_VALUE, 500, Map.of());
    failFirst("/429-seconds", 1, 429, Map.of("Retry-After", "7"));
    failFirst("/429-long", 1, 429, Map.of("Retry-After", "3600"));
    failFirst("/503-date", 1, 503, Map.of("Retry-After",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(time.now().plusSeconds(12).atZone(ZoneOffset.UTC))));
    AtomicInteger cuts = new AtomicInteger(1);
    server.createContext("/cut-once", ex -> {
      count(ex);
      if (cuts.getAndDecrement() > 0) {
        // Promises 1000 bytes, sends 10 and hangs up: the connection breaks mid-transfer.
        ex.sendResponseHeaders(200, 1000);
        ex.getResponseBody().write(new byte[10]);
        ex.getResponseBody().flush();
        ex.close();
      } else {
        respond(ex, 200, new byte[] {4, 5}, true);
      }
    });
    server.start();
    DownloadSettings settings = DownloadSettings.defaults()
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3))
        .withMaxBytes(1000).withConcurrency(8, 2);
    downloader = new Downloader(settings, HostPacer.none());
    retrying = new Downloader(settings, new HostPacer(time, Duration.ZERO),
        new CrawlOptions.RetrySettings(4, Duration.ofSeconds(1)), time, new Random(42));
  }

  /** {@code path} answers {@code status} with {@code headers} the first {@code times} requests, then 200. */
  void failFirst(String path, int times, int status, Map<String, String> headers) {
    AtomicInteger left = new AtomicInteger(times);
    server.createContext(path, ex -> {
      count(ex);
      if (left.getAndDecrement() > 0) {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        respond(ex, status, new byte[20], true);
      } else {
        respond(ex, 200, new byte[] {9, 8, 7}, true);
      }
    });
  }

  void count(com.sun.net.httpserver.HttpExchange ex) {
    hits.computeIfAbsent(ex.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  @AfterEach
  void stop() {
    release.countDown();
    downloader.close();
    retrying.close();
    server.stop(0);
    executor.shutdownNow();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void downloadsABody() throws Exception {
    Fetched f = downloader.get(uri("/ok"));
    assertArrayEquals(new byte[] {1, 2, 3}, f.body());
    assertEquals("image/jpeg", f.contentType());
  }

  @Test
  void refusesBodiesOverTheLimitWithOrWithoutContentLength() {
    assertEquals(DownloadException.Kind.TOO_LARGE, assertThrows(DownloadException.class, () -> downloader.get(uri("/big-declared"))).kind());
    assertEquals(DownloadException.Kind.TOO_LARGE, assertThrows(DownloadException.class, () -> downloader.get(uri("/big-chunked"))).kind());
  }

  @Test
  void reportsHttpErrors() {
    DownloadException e = assertThrows(DownloadException.class, () -> downloader.get(uri("/missing")));
    assertEquals(DownloadException.Kind.HTTP_STATUS, e.kind());
    assertEquals(404, e.status());
    assertTrue(!e.transientFailure());
  }

  @Test
  void timesOutOnAServerThatNeverAnswers() {
    DownloadException e = assertThrows(DownloadException.class, () -> downloader.get(uri("/hang")));
    assertEquals(DownloadException.Kind.TIMEOUT, e.kind());
    assertTrue(e.transientFailure());
  }

  @Test
  void followsABoundedNumberOfRedirects() throws Exception {
    Fetched f = downloader.get(uri("/chain-1"));
    assertEquals(uri("/ok"), f.finalUri());
    assertEquals(uri("/chain-1"), f.requested());
    DownloadException loop = assertThrows(DownloadException.class, () -> downloader.get(uri("/loop-a")));
    assertEquals(DownloadException.Kind.TOO_MANY_REDIRECTS, loop.kind());
    Downloader strict = new Downloader(new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(300),
        Duration.ofSeconds(3), 1000, 2, 4, 2, "test"), HostPacer.none());
    try (strict) {
      assertEquals(DownloadException.Kind.TOO_MANY_REDIRECTS,
          assertThrows(DownloadException.class, () -> strict.get(uri("/chain-1"))).kind());
    }
  }

  @Test
  void refusesUrlsThatAreNotHttp() {
    assertEquals(DownloadException.Kind.BAD_URL,
        assertThrows(DownloadException.class, () -> downloader.get(URI.create("file:///etc/passwd"))).kind());
  }

  @Test
  void boundsConcurrencyPerHost() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Fetched>>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> downloader.get(uri("/slow"))));
      }
      for (var f : futures) {
        assertArrayEquals(new byte[] {7}, f.get(10, TimeUnit.SECONDS).body());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2, maxConcurrent.get(), "at most 2 requests at once to one host");
  }

  @Test
  void retriesServerErrorsWithGrowingJitteredBackoff() throws Exception {
    assertArrayEquals(new byte[] {9, 8, 7}, retrying.get(uri("/flaky")).body());
    assertEquals(4, hits("/flaky"), "three 500s, then the answer");
    List<Duration> waits = time.sleeps();
    assertEquals(3, waits.size(), waits.toString());
    for (int i = 0; i < 3; i++) {
      Duration base = Duration.ofSeconds(1L << i); // 1 s, 2 s, 4 s
      assertTrue(waits.get(i).compareTo(base.dividedBy(2)) >= 0 && waits.get(i).compareTo(base) <= 0,
          "wait " + i + " is between half of " + base + " and all of it: " + waits);
    }
    // The same seed gives the same waits: the jitter is deterministic in tests.
    RetrySettings settings = new RetrySettings(4, Duration.ofSeconds(1));
    Random again = new Random(42);
    assertEquals(waits, List.of(settings.downloadBackoff(1, null, again), settings.downloadBackoff(2, null, again),
        settings.downloadBackoff(3, null, again)));
  }

  @Test
  void givesUpAfterTheLastAttemptAndSaysHowMany() {
    DownloadException e = assertThrows(DownloadException.class, () -> retrying.get(uri("/always-500")));
    assertEquals(DownloadException.Kind.HTTP_STATUS, e.kind());
    assertEquals(500, e.status());
    assertEquals(4, e.attempts());
    assertEquals("HTTP 500 after 4 attempts", e.getMessage());
    assertTrue(e.transientFailure());
    assertEquals(4, hits("/always-500"));
  }

  @Test
  void doesNotRetryPermanentFailures() {
    DownloadException missing = assertThrows(DownloadException.class, () -> retrying.get(uri("/missing")));
    assertEquals(1, missing.attempts());
    assertEquals("HTTP 404", missing.getMessage());
    assertEquals(DownloadException.Kind.TOO_LARGE,
        assertThrows(DownloadException.class, () -> retrying.get(uri("/big-declared"))).kind());
    assertEquals(DownloadException.Kind.BAD_URL,
        assertThrows(DownloadException.class, () -> retrying.get(URI.create("ftp://127.0.0.1/x.jpg"))).kind());
    assertEquals(List.of(), time.sleeps(), "no wait: none of these was tried again");
  }

  @Test
  void honoursRetryAfterInSecondsOrAsADateUpToALimit() throws Exception {
    assertArrayEquals(new byte[] {9, 8, 7}, retrying.get(uri("/503-date")).body()); // first: the date is 12 s from now
    assertArrayEquals(new byte[] {9, 8, 7}, retrying.get(uri("/429-seconds")).body());
    assertArrayEquals(new byte[] {9, 8, 7}, retrying.get(uri("/429-long")).body());
    assertEquals(List.of(Duration.ofSeconds(12), Duration.ofSeconds(7), Duration.ofSeconds(60)), time.sleeps(),
        "12 s until the date, 7 s as asked, an hour cut to the 60 s limit");
    assertEquals(2, hits("/429-seconds"));
    assertEquals(2, hits("/503-date"));
    assertEquals(2, hits("/429-long"));
  }

  @Test
  void readsRetryAfterHeaders() {
    Instant now = Instant.parse("2024-06-01T12:00:00Z");
    assertEquals(Duration.ofSeconds(120), Downloader.parseRetryAfter(" 120 ", now));
    assertEquals(Duration.ofSeconds(90), Downloader.parseRetryAfter("Sat, 01 Jun 2024 12:01:30 GMT", now));
    assertEquals(Duration.ZERO, Downloader.parseRetryAfter("Sat, 01 Jun 2024 11:00:00 GMT", now), "a date past");
    assertNull(Downloader.parseRetryAfter("soon", now));
  }

  @Test
  void retriesAConnectionBrokenMidTransfer() throws Exception {
    assertArrayEquals(new byte[] {4, 5}, retrying.get(uri("/cut-once")).body());
    assertEquals(2, hits("/cut-once"));
    assertEquals(1, time.sleeps().size());
  }

  @Test
  void retriesTimeoutsToo() {
    Downloader twice = new Downloader(downloader.settings(), HostPacer.none(),
        new RetrySettings(2, Duration.ofSeconds(1)), time, new Random(1));
    try (twice) {
      DownloadException e = assertThrows(DownloadException.class, () -> twice.get(uri("/hang")));
      assertEquals(DownloadException.Kind.TIMEOUT, e.kind());
      assertEquals(2, e.attempts());
      assertTrue(e.getMessage().endsWith(" after 2 attempts"), e.getMessage());
    }
  }

  @Test
  void holdsNoHostSlotWhileWaitingToRetry() throws Exception {
    // One request at a time per host. While the retry of /flaky waits, a request to the same host must get
    // through: it would time out here were the waiting download still holding the host's only slot.
    ExecutorService pool = Executors.newSingleThreadExecutor();
    List<String> duringWaits = new java.util.concurrent.CopyOnWriteArrayList<>();
    Downloader[] holder = new Downloader[1];
    TimeSource probing = new TimeSource() {
      @Override
      public long nanoTime() {
        return time.nanoTime();
      }

      @Override
      public Instant now() {
        return time.now();
      }

      @Override
      public void sleep(Duration d) throws InterruptedException {
        try {
          byte[] body = pool.submit(() -> holder[0].get(uri("/ok")).body()).get(5, TimeUnit.SECONDS);
          duringWaits.add("ok " + body.length);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          duringWaits.add("blocked: " + e);
        }
      }
    };
    holder[0] = new Downloader(downloader.settings().withConcurrency(4, 1), HostPacer.none(),
        new RetrySettings(4, Duration.ofSeconds(1)), probing, new Random(3));
    try (Downloader oneSlot = holder[0]) {
      assertArrayEquals(new byte[] {9, 8, 7}, oneSlot.get(uri("/flaky")).body());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("ok 3", "ok 3", "ok 3"), duringWaits);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body, boolean withLength)
      throws IOException {
    ex.getResponseHeaders().add("Content-Type", "image/jpeg");
    ex.sendResponseHeaders(status, withLength ? body.length : 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange ex, String to) throws IOException {
    ex.getResponseHeaders().add("Location", to);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
