package imgsearch.testing.deep;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server for model files: answers GET with the file, honours {@code Range: bytes=N-}
 * with 206, and can be told to break a transfer off after some bytes, once, to test resuming.
 */
public final class ModelHttpServer implements AutoCloseable {

  /** One request as received: path and Range header ({@code null} when absent). */
  public record Request(String path, String range) {}

  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Integer> breakAfter = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public ModelHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves {@code bytes} at {@code path} (e.g. {@code /clip-vit-b32/vision.onnx}). */
  public ModelHttpServer serve(String path, byte[] bytes) {
    files.put(path, bytes);
    return this;
  }

  /** Serves every entry of {@code byPath} under {@code /<key>}. */
  public ModelHttpServer serveAll(Map<String, byte[]> byPath) {
    byPath.forEach((k, v) -> serve("/" + k, v));
    return this;
  }

  /** The next response for {@code path} announces the full length but stops after {@code bytes}. */
  public ModelHttpServer breakOnceAfter(String path, int bytes) {
    breakAfter.put(path, bytes);
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String range = exchange.getRequestHeaders().getFirst("Range");
      requests.add(new Request(path, range));
      byte[] body = files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      int from = 0;
      int status = 200;
      if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
        from = Integer.parseInt(range.substring(6, range.length() - 1));
        if (from >= body.length) {
          exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        status = 206;
        exchange.getResponseHeaders().set("Content-Range",
            "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
      }
      int length = body.length - from;
      exchange.sendResponseHeaders(status, length);
      Integer cut = breakAfter.remove(path);
      OutputStream out = exchange.getResponseBody();
      if (cut != null && cut < length) {
        out.write(body, from, cut);
        out.flush();
        // A handler that fails makes the server drop the connection: the client sees a broken transfer.
        throw new IOException("test server breaks the transfer off after " + cut + " bytes");
      }
      out.write(body, from, length);
      out.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
