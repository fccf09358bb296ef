package imgsearch.crawl.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
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
    server.start();
    downloader = new Downloader(DownloadSettings.defaults()
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3))
        .withMaxBytes(1000).withConcurrency(8, 2), HostPacer.none());
  }

  @AfterEach
  void stop() {
    release.countDown();
    downloader.close();
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
  void sniffsImagesFromTheirBytes() {
    assertEquals("jpeg", ContentSniffer.imageFormat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}).orElseThrow());
    assertEquals("png", ContentSniffer.imageFormat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).orElseThrow());
    assertTrue(ContentSniffer.imageFormat("<!DOCTYPE html><html>".getBytes()).isEmpty());
    assertEquals("HTML page", ContentSniffer.describe("  <!DOCTYPE html><html>".getBytes()));
    assertEquals("empty body", ContentSniffer.describe(new byte[0]));
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
