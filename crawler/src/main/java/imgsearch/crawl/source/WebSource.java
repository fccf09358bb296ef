package imgsearch.crawl.source;

import imgsearch.crawl.CrawlException;
import imgsearch.crawl.CrawlOptions.WebSettings;
import imgsearch.crawl.clean.RejectReason;
import imgsearch.crawl.clean.Rejection;
import imgsearch.crawl.download.DownloadException;
import imgsearch.crawl.download.Downloader;
import imgsearch.crawl.download.Fetched;
import imgsearch.crawl.download.HostPacer;
import imgsearch.file.Sha256;
import imgsearch.index.Attribution;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Candidates from web pages: starts at the seed URLs ({@code {term}} in a seed is replaced by the term),
 * parses each page with Jsoup, collects images ({@code img} src and srcset, {@code picture source} srcset,
 * {@code og:image}), and follows links within the same site up to the configured depth. Honours robots.txt
 * (pages and images; Crawl-delay raises the politeness delay of its host) and stops when the crawler stops
 * asking, i.e. at the per-term quota.
 */
public final class WebSource implements PhotoSource {

  private static final long MAX_PAGE_BYTES = 5L << 20;
  private static final long MAX_ROBOTS_BYTES = 512L << 10;

  private final WebSettings settings;
  private final Downloader downloader;
  private final HostPacer pacer;
  private final String userAgent;
  private final Map<String, RobotsTxt> robots = new ConcurrentHashMap<>();
  private final AtomicInteger pagesSkippedByRobots = new AtomicInteger();
  private final AtomicInteger pagesFailed = new AtomicInteger();

  /** Pages read through {@code downloader}, which also retries them after transient failures. */
  public WebSource(WebSettings settings, Downloader downloader, HostPacer pacer) {
    this.settings = settings;
    this.downloader = downloader;
    this.pacer = pacer;
    this.userAgent = downloader.settings().userAgent();
  }

  @Override
  public String name() {
    return "web";
  }

  @Override
  public List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add("web: images from pages under " + settings.seedUrls() + " (depth " + settings.depth()
        + "); licences are unknown: check each site's terms before publishing the images.");
    if (pagesSkippedByRobots.get() > 0) {
      notes.add("web: " + pagesSkippedByRobots.get() + " page(s) not read because robots.txt disallows them");
    }
    if (pagesFailed.get() > 0) {
      notes.add("web: " + pagesFailed.get() + " page(s) could not be read");
    }
    return notes;
  }

  @Override
  public Optional<Rejection> refusal(Candidate c) {
    URI uri = URI.create(c.imageUrl());
    if (!robotsFor(uri).allows(uri)) {
      return Optional.of(Rejection.of(RejectReason.ROBOTS_DISALLOWED, "robots.txt of " + uri.getHost() + " disallows " + uri.getRawPath()));
    }
    return Optional.empty();
  }

  @Override
  public Iterator<Candidate> candidates(String term) {
    return new Crawl(term);
  }

  /** The seed URLs for {@code term}. */
  List<URI> seeds(String term) {
    List<URI> out = new ArrayList<>();
    for (String s : settings.seedUrls()) {
      String url = s.replace("{term}", URLEncoder.encode(term, StandardCharsets.UTF_8));
      try {
        out.add(URI.create(url));
      } catch (IllegalArgumentException e) {
        throw new CrawlException("seed URL is not a valid URL: " + s);
      }
    }
    return out;
  }

  RobotsTxt robotsFor(URI uri) {
    String key = uri.getScheme() + "://" + HostPacer.hostKey(uri);
    return robots.computeIfAbsent(key, k -> {
      RobotsTxt r = fetchRobots(URI.create(k + "/robots.txt"));
      if (!r.crawlDelay().isZero()) {
        pacer.setDelay(HostPacer.hostKey(uri), r.crawlDelay());
      }
      return r;
    });
  }

  private RobotsTxt fetchRobots(URI uri) {
    try {
      Fetched f = downloader.get(uri, MAX_ROBOTS_BYTES);
      return RobotsTxt.parse(new String(f.body(), StandardCharsets.UTF_8), userAgent);
    } catch (DownloadException e) {
      // No robots.txt (4xx) allows everything; a failing server is taken as a "keep out".
      boolean missing = e.kind() == DownloadException.Kind.HTTP_STATUS && e.status() >= 400 && e.status() < 500;
      return missing ? RobotsTxt.allowAll() : RobotsTxt.disallowAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RobotsTxt.disallowAll();
    }
  }

  static String imageId(String imageUrl) {
    return "web-" + Sha256.shortHex(imageUrl, 8);
  }

  /**
   * The image URLs of a page, in page order: og:image first, then for each img the largest entry of its
   * srcset (and of its picture's source elements), else its src.
   */
  static List<Found> images(Document doc) {
    List<Found> out = new ArrayList<>();
    String pageTitle = doc.title().isBlank() ? null : doc.title().strip();
    for (Element meta : doc.select("meta[property=og:image], meta[name=og:image]")) {
      String url = absolute(doc.location(), meta.attr("content"));
      if (url != null) {
        out.add(new Found(url, pageTitle));
      }
    }
    for (Element img : doc.select("img")) {
      List<Sized> options = new ArrayList<>(srcset(doc.location(), img.attr("srcset")));
      Element parent = img.parent();
      if (parent != null && parent.tagName().equals("picture")) {
        for (Element source : parent.select("source[srcset]")) {
          options.addAll(srcset(doc.location(), source.attr("srcset")));
        }
      }
      String url = options.stream().max(java.util.Comparator.comparingDouble(Sized::size)).map(Sized::url)
          .orElse(absolute(doc.location(), img.attr("src")));
      if (url != null) {
        String alt = img.attr("alt").strip();
        out.add(new Found(url, alt.isEmpty() ? pageTitle : alt));
      }
    }
    return out;
  }

  /** An image URL found on a page, with the text that describes it. */
  record Found(String url, String title) {}

  /** A srcset entry; width descriptors count as pixels, density descriptors as 1000 per x. */
  record Sized(String url, double size) {}

  static List<Sized> srcset(String base, String srcset) {
    List<Sized> out = new ArrayList<>();
    if (srcset == null || srcset.isBlank()) {
      return out;
    }
    for (String item : srcset.split(",\\s+|,(?=\\S+\\s)")) {
      String[] parts = item.strip().split("\\s+");
      if (parts.length == 0 || parts[0].isEmpty()) {
        continue;
      }
      double size = 1000;
      if (parts.length > 1) {
        String d = parts[1].toLowerCase(Locale.ROOT);
        try {
          size = Double.parseDouble(d.substring(0, d.length() - 1)) * (d.endsWith("x") ? 1000 : 1);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          size = 1000;
        }
      }
      String url = absolute(base, parts[0]);
      if (url != null) {
        out.add(new Sized(url, size));
      }
    }
    return out;
  }

  private static String absolute(String base, String href) {
    if (href == null || href.isBlank() || href.startsWith("data:")) {
      return null;
    }
    try {
      URI u = URI.create(base).resolve(href.strip().replace(" ", "%20"));
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      return new URI(u.getScheme(), u.getRawAuthority() == null ? null : u.getAuthority(), u.getPath(), u.getQuery(), null).toString();
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      return null;
    }
  }

  private static boolean sameSite(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && HostPacer.hostKey(a).equals(HostPacer.hostKey(b));
  }

  /** A breadth-first walk from the seeds of one term. */
  private final class Crawl implements Iterator<Candidate> {
    private record Page(URI uri, int depth, URI seed) {}

    private final Deque<Page> queue = new ArrayDeque<>();
    private final Set<URI> visited = new HashSet<>();
    private final Set<String> seenImages = new HashSet<>();
    private final Deque<Candidate> buffer = new ArrayDeque<>();
    private int pagesRead;

    Crawl(String term) {
      for (URI seed : seeds(term)) {
        if (visited.add(seed)) {
          queue.add(new Page(seed, 0, seed));
        }
      }
    }

    @Override
    public boolean hasNext() {
      while (buffer.isEmpty() && !queue.isEmpty() && pagesRead < settings.maxPages()) {
        read(queue.poll());
      }
      return !buffer.isEmpty();
    }

    @Override
    public Candidate next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return buffer.poll();
    }

    private void read(Page page) {
      if (!robotsFor(page.uri()).allows(page.uri())) {
        pagesSkippedByRobots.incrementAndGet();
        return;
      }
      pagesRead++;
      Document doc;
      try {
        Fetched f = downloader.get(page.uri(), MAX_PAGE_BYTES);
        if (!looksLikeHtml(f)) {
          return;
        }
        doc = Jsoup.parse(new ByteArrayInputStream(f.body()), charset(f.contentType()), f.finalUri().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CrawlException("interrupted while reading " + page.uri(), e);
      } catch (Exception e) {
        pagesFailed.incrementAndGet();
        return;
      }
      for (Found img : images(doc)) {
        if (seenImages.add(img.url())) {
          buffer.add(new Candidate(imageId(img.url()), new Attribution(name(), page.uri().toString(), img.url(),
              img.title(), null, null, null, null, null, List.of(), null)));
        }
      }
      if (page.depth() < settings.depth()) {
        for (Element a : doc.select("a[href]")) {
          String href = absolute(doc.location(), a.attr("href"));
          if (href == null) {
            continue;
          }
          URI link = URI.create(href);
          if (sameSite(link, page.seed()) && visited.add(link)) {
            queue.add(new Page(link, page.depth() + 1, page.seed()));
          }
        }
      }
    }

    private boolean looksLikeHtml(Fetched f) {
      String type = f.contentType().toLowerCase(Locale.ROOT);
      if (type.contains("html") || type.contains("xml")) {
        return true;
      }
      String head = new String(f.body(), 0, Math.min(f.body().length, 256), StandardCharsets.ISO_8859_1).stripLeading();
      return type.isEmpty() && head.startsWith("<");
    }

    private String charset(String contentType) {
      int i = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
      if (i < 0) {
        return null;
      }
      String cs = contentType.substring(i + 8).replaceAll("[;\"'\\s].*", "");
      try {
        return java.nio.charset.Charset.isSupported(cs) ? cs : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
