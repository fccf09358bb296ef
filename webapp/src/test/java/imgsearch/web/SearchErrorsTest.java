package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.search.InvalidQueryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search the user asked wrongly is a 4xx that says why; an unexpected exception, an
 * {@link IllegalArgumentException} included, is a bug: a 500 whose stack trace goes to the log.
 */
class SearchErrorsTest {

  @TempDir
  static Path tmp;
  static ServedCollection served;
  static TestCollection photos;
  static Http http;
  /** What the index's vector search throws next, or null to search. */
  static final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  @BeforeAll
  static void start() throws IOException {
    served = ServedCollection.start(tmp, config -> config, index -> ServedCollection.watched(index, method -> {
      RuntimeException e = failure.get();
      if (e != null && method.getName().equals("search")) {
        throw e;
      }
    }), null);
    photos = served.photos;
    http = served.http;
  }

  @AfterEach
  void searchAgain() {
    failure.set(null);
  }

  @AfterAll
  static void stop() throws IOException {
    if (served != null) {
      served.close();
    }
  }

  @Test
  void anIllegalArgumentExceptionFromABugIsA500WithItsStackTraceLogged() throws Exception {
    failure.set(new IllegalArgumentException("a bug deep in the search"));
    String id = photos.ids.get("train-amber-0.jpg");

    PrintStream realErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    HttpResponse<String> api;
    HttpResponse<String> page;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      api = http.get("/api/search?id=" + id);
      page = http.get("/search?id=" + id);
    } finally {
      System.setErr(realErr);
    }

    assertEquals(500, api.statusCode(), api.body());
    JsonNode body = Http.json(api);
    assertEquals("internal_error", body.get("code").asText());
    assertEquals(500, body.get("status").asInt());
    assertTrue(body.get("error").asText().contains("its log has the details"), api.body());
    assertTrue(!api.body().contains("a bug deep in the search"), "the bug's message is not for the user: " + api.body());
    assertEquals(500, page.statusCode());
    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("java.lang.IllegalArgumentException: a bug deep in the search"), logged);
    assertTrue(logged.contains("\tat "), "the stack trace is logged: " + logged);
  }

  @Test
  void aQueryRefusedByTheSearchIsSaidWithItsCode() throws Exception {
    String id = photos.ids.get("train-amber-0.jpg");
    failure.set(new InvalidQueryException(InvalidQueryException.Reason.UNKNOWN_ID, "no image with id 'x' has a vector"));
    HttpResponse<String> unknown = http.get("/api/search?id=" + id);
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals("unknown_id", Http.json(unknown).get("code").asText());
    assertEquals("no image with id 'x' has a vector", Http.json(unknown).get("error").asText());

    failure.set(new InvalidQueryException(InvalidQueryException.Reason.UNAVAILABLE_METRIC, "metric 'l2' is not available"));
    HttpResponse<String> metric = http.get("/api/search?id=" + id);
    assertEquals(400, metric.statusCode(), metric.body());
    assertEquals("unknown_metric", Http.json(metric).get("code").asText());

    failure.set(new InvalidQueryException(InvalidQueryException.Reason.UNKNOWN_ID, "no image with id 'x' has a vector"));
    HttpResponse<String> page = http.get("/search?id=" + id);
    assertEquals(404, page.statusCode());
    assertTrue(page.body().contains("no image with id &#39;x&#39; has a vector"), page.body());
  }

  @Test
  void theSameSearchesAnswerWhenNothingFails() throws Exception {
    HttpResponse<String> ok = http.get("/api/search?id=" + photos.ids.get("train-amber-0.jpg"));
    assertEquals(200, ok.statusCode(), ok.body());
  }
}
