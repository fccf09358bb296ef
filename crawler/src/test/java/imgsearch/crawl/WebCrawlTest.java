package imgsearch.crawl;

import static imgsearch.crawl.CrawlFixtures.assertManifestMatchesFiles;
import static imgsearch.crawl.CrawlFixtures.manifestById;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.index.ManifestEntry;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web source: pages parsed with Jsoup, same-site links to a depth, robots.txt and politeness. */
class WebCrawlTest {

  @TempDir
  Path dir;

  FakeFlickrServer server;
  FakeTime time = new FakeTime();
  final List<String> requests = new ArrayList<>();
  final List<Long> requestTimes = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new FakeFlickrServer("unused");
    server.onRequest(path -> {
      synchronized (requests) {
        requests.add(path);
        requestTimes.add(time.nanoTime());
      }
    });
    server.serve("/robots.txt", "text/plain", """
        # test site
        User-agent: *
        Disallow: /private/
        Disallow: /img/secret
        Crawl-delay: 2
        """.getBytes(StandardCharsets.UTF_8));
    page("/site/index.html", """
        <html><head><title>Fox gallery</title>
        <meta property="og:image" content="/img/og.jpg"></head>
        <body>
          <img src="/img/a.jpg" alt="A fox">
          <img src="/img/b-small.jpg" srcset="/img/b-small.jpg 320w, /img/b-large.jpg 1024w" alt="Big fox">
          <img src="/img/secret.jpg" alt="hidden">
          <a href="page2.html">next</a> <a href="/private/hidden.html">private</a>
          <a href="http://elsewhere.invalid/page.html">elsewhere</a> <a href="#top">top</a>
        </body></html>""");
    page("/site/page2.html", """
        <html><head><title>Page 2</title></head><body>
          <picture><source srcset="/img/c.jpg 2x, /img/c-small.jpg 1x"><img src="/img/c-small.jpg" alt="Fox cub"></picture>
          <a href="page3.html">deeper</a> <a href="index.html">back</a>
        </body></html>""");
    page("/site/page3.html", "<html><body><img src=\"/img/d.jpg\"></body></html>");
    page("/private/hidden.html", "<html><body><img src=\"/img/e.jpg\"></body></html>");
    long seed = 900;
    for (String name : List.of("og", "a", "b-small", "b-large", "secret", "c", "c-small", "d", "e")) {
      server.serve("/img/" + name + ".jpg", "image/jpeg", TestImages.jpeg(TestImages.photoLike(seed++, 240, 180), 0.9f));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void page(String path, String html) {
    server.serve(path, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  CrawlOptions.Builder options(int perTerm) {
    return CrawlOptions.builder(List.of("fox"), dir.resolve("data"))
        .source(SourceKind.WEB)
        .seedUrls(List.of(server.url("/site/index.html")))
        .depth(1)
        .politeness(Duration.ofMillis(500))
        .perTerm(perTerm)
        // One download at a time: the fake clock's sleeps then add up as real ones would.
        .download(CrawlFixtures.fastDownloads().withConcurrency(1, 1))
        .cleaning(CrawlFixtures.smallImagesAllowed());
  }

  @Test
  void collectsImagesFromPagesWithinTheSiteAndDepth() throws IOException {
    new Crawler(options(20).build(), time).run(CrawlListener.NONE);
    Path out = dir.resolve("data");

    Map<String, ManifestEntry> manifest = manifestById(out);
    Set<String> urls = manifest.values().stream().map(e -> e.attribution().imageUrl()).collect(Collectors.toSet());
    assertEquals(Set.of(server.url("/img/og.jpg"), server.url("/img/a.jpg"), server.url("/img/b-large.jpg"),
        server.url("/img/c.jpg")), urls, "og:image, img src, the largest srcset entries; depth 1 only");
    ManifestEntry a = manifest.values().stream().filter(e -> e.attribution().imageUrl().endsWith("/a.jpg"))
        .findFirst().orElseThrow();
    assertEquals("web", a.attribution().source());
    assertEquals("A fox", a.attribution().title());
    assertEquals(server.url("/site/index.html"), a.attribution().pageUrl());
    assertTrue(a.id().startsWith("web-"));
    ManifestEntry og = manifest.values().stream().filter(e -> e.attribution().imageUrl().endsWith("/og.jpg"))
        .findFirst().orElseThrow();
    assertEquals("Fox gallery", og.attribution().title());

    assertEquals(0, server.hits("/img/secret.jpg"), "robots.txt disallows the image");
    assertEquals(0, server.hits("/private/hidden.html"), "robots.txt disallows the page");
    assertEquals(0, server.hits("/site/page3.html"), "beyond the depth");
    assertEquals(0, server.hits("/img/b-small.jpg"), "the larger srcset entry is taken");
    assertEquals(1, server.hits("/site/index.html"), "each page is read once");
    assertEquals(1, server.hits("/robots.txt"));
    assertTrue(CrawlFixtures.reasonsById(out).containsValue("robots-disallowed"));

    // Politeness: after robots.txt, requests to the site are at least its Crawl-delay (2 s) apart.
    synchronized (requests) {
      assertEquals("/robots.txt", requests.get(0));
      for (int i = 2; i < requestTimes.size(); i++) {
        long gap = requestTimes.get(i) - requestTimes.get(i - 1);
        assertTrue(gap >= Duration.ofSeconds(2).toNanos(), "requests " + requests.get(i - 1) + " and " + requests.get(i)
            + " only " + gap + " ns apart");
      }
    }
    assertManifestMatchesFiles(out);
  }

  @Test
  void stopsReadingPagesAtTheQuota() throws IOException {
    new Crawler(options(2).build(), time).run(CrawlListener.NONE);
    assertEquals(2, manifestById(dir.resolve("data")).size());
    assertEquals(0, server.hits("/site/page2.html"), "no page is read once the quota is met");
    assertEquals(0, server.hits("/img/b-large.jpg"));
  }

  @Test
  void aTermPlaceholderInTheSeedIsReplaced() throws IOException {
    page("/search", "<html><body><img src=\"/img/a.jpg\"></body></html>");
    List<String> seen = new ArrayList<>();
    server.onRequest(seen::add);
    new Crawler(options(1).seedUrls(List.of(server.url("/search?q={term}"))).build(), time).run(CrawlListener.NONE);
    assertTrue(seen.contains("/search"));
    assertEquals(1, manifestById(dir.resolve("data")).size());
  }
}
