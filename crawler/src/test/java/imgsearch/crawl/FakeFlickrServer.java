package imgsearch.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for Flickr and for web sites, for the crawler's tests. It answers
 * {@code flickr.photos.search} and {@code flickr.photos.licenses.getInfo} in Flickr's XML format (pages,
 * a per-page limit, the total count, a result cap), serves the public Atom feed, web pages, robots.txt and
 * image bytes, and misbehaves on request: a 500, a request that never answers, a redirect loop, a body
 * larger than its promise, errors that pass after a few tries (500s, a 429 with Retry-After, a connection
 * reset), and so on. It counts every request, so tests can tell what was downloaded, and how often.
 */
final class FakeFlickrServer implements AutoCloseable {

  /** A photo in the fake API. */
  record Photo(String id, String text, String owner, String ownerName, String title, String license, String tags,
      String dateTaken, long uploaded, String imagePath) {}

  /** A feed entry. */
  record FeedEntry(String id, String owner, String ownerName, String title, String tags, String dateTaken,
      String imagePath, String licenseUrl) {}

  /** Answers one request. */
  @FunctionalInterface
  interface Responder {
    void respond(HttpExchange ex) throws IOException;
  }

  /** What the next API calls do instead of answering. */
  enum Trouble { SERVER_ERROR, NEVER_ANSWER }

  static final String API_PATH = "/services/rest/";
  static final String FEED_PATH = "/services/feeds/photos_public.gne";

  private final HttpServer server;
  private final ExecutorService executor;
  private final String apiKey;
  private final List<Photo> photos = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, List<FeedEntry>> feeds = new ConcurrentHashMap<>();
  private final Map<String, Responder> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Queue<Trouble> apiTrouble = new ConcurrentLinkedQueue<>();
  private final List<Map<String, String>> apiCalls = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int maxPerPage = 500;
  private volatile int resultCap = 4000;
  private volatile Runnable onApiCall = () -> {};
  private volatile java.util.function.Consumer<String> onRequest = path -> {};
  private ResettingListener resetting;

  FakeFlickrServer(String apiKey) throws IOException {
    this.apiKey = apiKey;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "fake-flickr");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  URI apiEndpoint() {
    return URI.create(base() + API_PATH);
  }

  URI feedEndpoint() {
    return URI.create(base() + FEED_PATH);
  }

  /** The URL of {@code path} on this server; an absolute URL (e.g. from {@link #resettingUrl}) stays as it is. */
  String url(String path) {
    return path.startsWith("http://") ? path : base() + path;
  }

  void maxPerPage(int n) {
    maxPerPage = n;
  }

  void resultCap(int n) {
    resultCap = n;
  }

  /** Runs on every API call, before it is answered (tests read their fake clock here). */
  void onApiCall(Runnable r) {
    onApiCall = r;
  }

  /** Runs on every request with its path, before it is answered. */
  void onRequest(java.util.function.Consumer<String> c) {
    onRequest = c;
  }

  /** The next API calls fail in these ways, one each, before the server behaves again. */
  void troubleNextApiCalls(Trouble... trouble) {
    apiTrouble.addAll(Arrays.asList(trouble));
  }

  void addPhoto(Photo p) {
    photos.add(p);
  }

  void addFeedEntries(String tags, List<FeedEntry> entries) {
    feeds.put(tags, entries);
  }

  void route(String path, Responder r) {
    routes.put(path, r);
  }

  void serve(String path, String contentType, byte[] body) {
    route(path, ex -> send(ex, 200, contentType, body));
  }

  void status(String path, int status) {
    route(path, ex -> send(ex, status, "text/html", ("<html><body>HTTP " + status + "</body></html>").getBytes(StandardCharsets.UTF_8)));
  }

  void redirect(String path, String to) {
    route(path, ex -> {
      ex.getResponseHeaders().add("Location", to);
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
  }

  /**
   * The first {@code times} requests for {@code path} get {@code status} with {@code headers} (e.g. a 500, or a
   * 429 with Retry-After); later ones are answered by {@code then}.
   */
  void failFirst(String path, int times, int status, Map<String, String> headers, Responder then) {
    AtomicInteger left = new AtomicInteger(times);
    route(path, ex -> {
      if (left.getAndDecrement() > 0) {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        send(ex, status, "text/html", ("<html><body>HTTP " + status + "</body></html>").getBytes(StandardCharsets.UTF_8));
      } else {
        then.respond(ex);
      }
    });
  }

  /**
   * An absolute URL for {@code path} on a second, bare TCP listener that resets the connection (TCP RST, right
   * after reading the request) the first {@code resets} times and then serves {@code body}. The JDK's
   * HttpServer cannot reset a connection, hence the bare socket. Requests are counted under {@code path}.
   */
  synchronized String resettingUrl(String path, int resets, String contentType, byte[] body) throws IOException {
    if (resetting == null) {
      resetting = new ResettingListener();
    }
    resetting.paths.put(path, new Resetting(new AtomicInteger(resets), contentType, body));
    return "http://127.0.0.1:" + resetting.socket.getLocalPort() + path;
  }

  /** A responder that never answers (until the server closes). */
  Responder neverAnswering() {
    return ex -> awaitRelease();
  }

  /** Blocks the calling handler until {@code gate} opens (or the server closes). */
  void gate(String path, CountDownLatch arrived, CountDownLatch gate, Responder then) {
    route(path, ex -> {
      arrived.countDown();
      try {
        gate.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      then.respond(ex);
    });
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  /** Query parameters of every API call so far, in order. */
  List<Map<String, String>> apiCalls() {
    synchronized (apiCalls) {
      return List.copyOf(apiCalls);
    }
  }

  List<Map<String, String>> searchCalls() {
    return apiCalls().stream().filter(q -> "flickr.photos.search".equals(q.get("method"))).toList();
  }

  @Override
  public void close() {
    release.countDown();
    synchronized (this) {
      if (resetting != null) {
        resetting.close();
      }
    }
    server.stop(0);
    executor.shutdownNow();
  }

  private record Resetting(AtomicInteger resetsLeft, String contentType, byte[] body) {}

  /** The bare listener behind {@link #resettingUrl}: one connection per request, closed after the answer. */
  private final class ResettingListener {
    final ServerSocket socket;
    final Map<String, Resetting> paths = new ConcurrentHashMap<>();

    ResettingListener() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(this::acceptAll, "fake-flickr-resetting");
      accept.setDaemon(true);
      accept.start();
    }

    private void acceptAll() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          executor.execute(() -> answer(s));
        } catch (IOException | java.util.concurrent.RejectedExecutionException closed) {
          return;
        }
      }
    }

    private void answer(Socket s) {
      try (s) {
        String path = readRequestPath(s.getInputStream());
        if (path == null) {
          return;
        }
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        onRequest.accept(path);
        Resetting r = paths.get(path);
        if (r != null && r.resetsLeft().getAndDecrement() > 0) {
          s.setSoLinger(true, 0); // close() now sends RST instead of FIN: "connection reset by peer"
          return;
        }
        byte[] body = r == null ? new byte[0] : r.body();
        String head = (r == null ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 200 OK") + "\r\nContent-Type: "
            + (r == null ? "text/plain" : r.contentType()) + "\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // the client went away: nothing to answer
      }
    }

    /** Reads a request's head and returns its path (without the query), or null when it is cut short. */
    private static String readRequestPath(java.io.InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0) {
        head.append((char) b);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
          String target = requestLine.length > 1 ? requestLine[1] : "/";
          int q = target.indexOf('?');
          return q < 0 ? target : target.substring(0, q);
        }
      }
      return null;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void awaitRelease() {
    try {
      release.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    onRequest.accept(path);
    try {
      if (path.equals(API_PATH)) {
        api(ex);
      } else if (path.equals(FEED_PATH)) {
        feed(ex);
      } else if (routes.containsKey(path)) {
        routes.get(path).respond(ex);
      } else {
        send(ex, 404, "text/html", "<html><body>not found</body></html>".getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      ex.close();
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private void api(HttpExchange ex) throws IOException {
    Map<String, String> q = query(ex.getRequestURI());
    apiCalls.add(q);
    onApiCall.run();
    Trouble trouble = apiTrouble.poll();
    if (trouble == Trouble.SERVER_ERROR) {
      send(ex, 500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (trouble == Trouble.NEVER_ANSWER) {
      awaitRelease();
      return;
    }
    if (!apiKey.equals(q.get("api_key"))) {
      xml(ex, "<rsp stat=\"fail\">\n\t<err code=\"100\" msg=\"Invalid API Key (Key has invalid format)\" />\n</rsp>");
      return;
    }
    switch (q.getOrDefault("method", "")) {
      case "flickr.photos.licenses.getInfo" -> xml(ex, LICENSES);
      case "flickr.photos.search" -> search(ex, q);
      default -> xml(ex, "<rsp stat=\"fail\">\n\t<err code=\"112\" msg=\"Method &quot;" + esc(q.get("method"))
          + "&quot; not found\" />\n</rsp>");
    }
  }

  private void search(HttpExchange ex, Map<String, String> q) throws IOException {
    String text = q.getOrDefault("text", "");
    long min = Long.parseLong(q.getOrDefault("min_upload_date", "0"));
    long max = Long.parseLong(q.getOrDefault("max_upload_date", String.valueOf(Long.MAX_VALUE)));
    List<Photo> matching;
    synchronized (photos) {
      // Licences are deliberately not filtered: the client must check them itself too.
      matching = photos.stream().filter(p -> p.text().equals(text) && p.uploaded() >= min && p.uploaded() <= max).toList();
    }
    int perPage = Math.max(1, Math.min(Integer.parseInt(q.getOrDefault("per_page", "100")), maxPerPage));
    int page = Math.max(1, Integer.parseInt(q.getOrDefault("page", "1")));
    int total = matching.size();
    int reachable = Math.min(total, resultCap);
    int pages = (total + perPage - 1) / perPage;
    StringBuilder sb = new StringBuilder("<rsp stat=\"ok\">\n<photos page=\"" + page + "\" pages=\"" + pages
        + "\" perpage=\"" + perPage + "\" total=\"" + total + "\">\n");
    for (int i = (page - 1) * perPage; i < Math.min(page * perPage, reachable); i++) {
      Photo p = matching.get(i);
      sb.append("\t<photo id=\"").append(p.id()).append("\" owner=\"").append(esc(p.owner()))
          .append("\" secret=\"1a2b3c4d5e\" server=\"65535\" farm=\"66\" title=\"").append(esc(p.title()))
          .append("\" ispublic=\"1\" isfriend=\"0\" isfamily=\"0\" license=\"").append(p.license())
          .append("\" dateupload=\"").append(p.uploaded()).append("\" datetaken=\"").append(p.dateTaken())
          .append("\" datetakengranularity=\"0\" datetakenunknown=\"0\" ownername=\"").append(esc(p.ownerName()))
          .append("\" tags=\"").append(esc(p.tags())).append("\"");
      if (p.imagePath() != null) {
        sb.append(" url_l=\"").append(esc(url(p.imagePath()))).append("\" height_l=\"768\" width_l=\"1024\"")
            .append(" url_m=\"").append(esc(url(p.imagePath() + "-small"))).append("\" height_m=\"375\" width_m=\"500\"");
      }
      sb.append(" />\n");
    }
    sb.append("</photos>\n</rsp>");
    xml(ex, sb.toString());
  }

  private void feed(HttpExchange ex) throws IOException {
    Map<String, String> q = query(ex.getRequestURI());
    List<FeedEntry> entries = feeds.getOrDefault(q.getOrDefault("tags", ""), List.of());
    StringBuilder sb = new StringBuilder("""
        <?xml version="1.0" encoding="utf-8" standalone="yes"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:flickr="urn:flickr:user" xmlns:media="http://search.yahoo.com/mrss/">
          <title>Recent Uploads tagged %s</title>
          <link rel="self" href="%s" />
          <id>tag:flickr.com,2005:/photos/public/tagged/all/%s</id>
          <updated>2024-07-03T14:20:24Z</updated>
          <generator uri="https://www.flickr.com/">Flickr</generator>
        """.formatted(esc(q.get("tags")), esc(ex.getRequestURI().toString()), esc(q.get("tags"))));
    for (FeedEntry e : entries) {
      sb.append("""
            <entry>
              <title>%s</title>
              <link rel="alternate" type="text/html" href="https://www.flickr.com/photos/%s/%s/"/>
              <id>tag:flickr.com,2005:/photo/%s</id>
              <published>2024-07-03T14:20:10Z</published>
              <updated>2024-07-03T14:20:10Z</updated>
              <flickr:date_taken>%s</flickr:date_taken>
              <dc:date.Taken>%s</dc:date.Taken>
              <content type="html">&lt;p&gt;a photo&lt;/p&gt;</content>
              <author>
                <name>%s</name>
                <uri>https://www.flickr.com/people/%s/</uri>
                <flickr:nsid>%s</flickr:nsid>
              </author>
              <link rel="enclosure" type="image/jpeg" href="%s" />
            """.formatted(esc(e.title()), e.owner(), e.id(), e.id(), e.dateTaken(), e.dateTaken(), esc(e.ownerName()),
          e.owner(), e.owner(), esc(url(e.imagePath()))));
      if (e.licenseUrl() != null) {
        sb.append("      <link rel=\"license\" type=\"text/html\" href=\"").append(esc(e.licenseUrl())).append("\" />\n");
      }
      for (String tag : e.tags().split(" ")) {
        if (!tag.isBlank()) {
          sb.append("      <category term=\"").append(esc(tag)).append("\" scheme=\"https://www.flickr.com/photos/tags/\" />\n");
        }
      }
      sb.append("    </entry>\n");
    }
    sb.append("</feed>\n");
    send(ex, 200, "application/atom+xml; charset=utf-8", sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String uploadDate(long epochSecond) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(epochSecond));
  }

  private static void xml(HttpExchange ex, String body) throws IOException {
    send(ex, 200, "text/xml; charset=utf-8", ("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n" + body).getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Flickr's licence table as flickr.photos.licenses.getInfo gives it (the 2.0 ones and a few others). */
  static final String LICENSES = """
      <rsp stat="ok">
      <licenses>
      \t<license id="0" name="All Rights Reserved" url="" />
      \t<license id="1" name="Attribution-NonCommercial-ShareAlike License" url="https://creativecommons.org/licenses/by-nc-sa/2.0/" />
      \t<license id="2" name="Attribution-NonCommercial License" url="https://creativecommons.org/licenses/by-nc/2.0/" />
      \t<license id="3" name="Attribution-NonCommercial-NoDerivs License" url="https://creativecommons.org/licenses/by-nc-nd/2.0/" />
      \t<license id="4" name="Attribution License" url="https://creativecommons.org/licenses/by/2.0/" />
      \t<license id="5" name="Attribution-ShareAlike License" url="https://creativecommons.org/licenses/by-sa/2.0/" />
      \t<license id="6" name="Attribution-NoDerivs License" url="https://creativecommons.org/licenses/by-nd/2.0/" />
      \t<license id="7" name="No known copyright restrictions" url="https://www.flickr.com/commons/usage/" />
      \t<license id="8" name="United States Government Work" url="http://www.usa.gov/copyright.shtml" />
      \t<license id="9" name="Public Domain Dedication (CC0)" url="https://creativecommons.org/publicdomain/zero/1.0/" />
      \t<license id="10" name="Public Domain Mark" url="https://creativecommons.org/publicdomain/mark/1.0/" />
      </licenses>
      </rsp>""";
}
