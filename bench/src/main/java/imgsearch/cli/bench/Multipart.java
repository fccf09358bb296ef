package imgsearch.cli.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A {@code multipart/form-data} POST of form fields and one image file, as a browser sends a search by upload. */
public final class Multipart {
  private static final String BOUNDARY = "imgsearch-bench-5e1d";

  private Multipart() {}

  /**
   * @param fields form fields sent before the file (null values are left out)
   * @param image the file's bytes, sent as the {@code image} part
   */
  public static HttpRequest post(URI uri, Map<String, String> fields, byte[] image) {
    return HttpRequest.newBuilder(uri).header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(fields, image))).build();
  }

  /** The value of the request's {@code Content-Type} header. */
  public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  /** The request's body: {@code fields} (null values left out), then {@code image} as the {@code image} part. */
  public static byte[] body(Map<String, String> fields, byte[] image) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(image.length + 512);
    fields.forEach((name, value) -> {
      if (value != null) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
            + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.jpg\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(image);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }
}
