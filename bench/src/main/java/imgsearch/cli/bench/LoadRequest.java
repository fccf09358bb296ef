package imgsearch.cli.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One planned request of the load harness and the answer it must get. Bodies are built when the request is
 * sent, so that a plan of many uploads holds only indexes into the photo list.
 *
 * @param kind what the request is
 * @param query the query string after {@code /api/search?} for GET requests, else null
 * @param upload what a POST sends as the {@code image} part, else null
 * @param expectedStatus 200 for a good request, the documented 4xx for a bad one
 * @param expectedCode the documented error code of a bad request, null for a good one
 * @param sameAnswerKey requests with the same key must get the same results (null: not compared)
 * @param photoPath for an upload of an indexed photo, its path (to see whether it comes back first)
 */
public record LoadRequest(Kind kind, String query, Upload upload, int expectedStatus, String expectedCode,
    String sameAnswerKey, String photoPath) {

  /** The kinds of request the harness mixes; the bad ones are answered with a 4xx JSON error. */
  public enum Kind {
    UPLOAD("upload", true), BY_ID("by-id", true), TEXT("text", true),
    NOT_AN_IMAGE("not-an-image", false), TRUNCATED_JPEG("truncated-jpeg", false),
    UNKNOWN_DESCRIPTOR("unknown-descriptor", false), K_OUT_OF_RANGE("k-out-of-range", false),
    EMPTY_UPLOAD("empty-upload", false), HTML_AS_IMAGE("html-as-image", false), UNKNOWN_ID("unknown-id", false);

    private final String label;
    private final boolean good;

    Kind(String label, boolean good) {
      this.label = label;
      this.good = good;
    }

    public String label() {
      return label;
    }

    public boolean good() {
      return good;
    }
  }

  /**
   * The file part of a multipart upload.
   *
   * @param bytes the file's content; sent as it is
   * @param keep how many of its bytes to send (a truncated upload sends fewer)
   * @param filename the part's file name
   * @param contentType the part's declared type (deliberately wrong for HTML sent as an image)
   */
  public record Upload(byte[] bytes, int keep, String filename, String contentType) {}

  private static final String BOUNDARY = "imgsearch-load-7f3a9c";

  public boolean good() {
    return kind.good();
  }

  /** The HTTP request against a server at {@code base} (e.g. {@code http://127.0.0.1:41234}). */
  public HttpRequest toHttp(String base, Duration timeout) {
    if (upload == null) {
      return HttpRequest.newBuilder(URI.create(base + "/api/search?" + query)).timeout(timeout).GET().build();
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(upload.keep() + 512);
    body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
        + upload.filename() + "\"\r\nContent-Type: " + upload.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(upload.bytes(), 0, upload.keep());
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(base + "/api/search")).timeout(timeout)
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
  }

  static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
