package imgsearch.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.cli.bench.LoadRequest.Kind;
import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.index.lucene.LuceneImageIndex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load harness against the real server over a small index, and its plan. */
class LoadHarnessTest {

  @TempDir static Path tmp;
  static Path photos;
  static Path indexDir;

  @BeforeAll
  static void indexPhotos() throws Exception {
    photos = BenchPhotos.write(tmp.resolve("photos"), 30);
    indexDir = tmp.resolve("index");
    BenchPhotos.index(photos, indexDir);
  }

  @Test
  void fourHundredMixedRequestsGetTheirDocumentedAnswers() throws Exception {
    StringWriter log = new StringWriter();
    LoadHarness.Report report;
    try (LuceneImageIndex index = LuceneImageIndex.openReadOnly(indexDir)) {
      report = LoadHarness.run(new LoadHarness.Settings(4, 400, 3, 64L << 20, Duration.ofSeconds(60)), index, indexDir,
          ClassicDescriptors.registry(), new PrintWriter(log, true));
    }
    assertTrue(report.passed(), log.toString());
    assertFalse(report.text(), "no text model here");
    // Every kind but text was sent, and the server answered with every documented status.
    Set<String> kinds = EnumSet.complementOf(EnumSet.of(Kind.TEXT)).stream().map(Kind::label).collect(Collectors.toSet());
    assertTrue(report.latency().keySet().containsAll(kinds), report.latency().keySet().toString());
    assertTrue(report.statuses().keySet().containsAll(List.of(200, 400, 404, 415, 422)), report.statuses().toString());
    assertEquals(400, report.latency().get("overall").count());
    assertEquals(1.0, report.uploadsSelfFirst(), log.toString());

    String last = log.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
    JsonNode json = new ObjectMapper().readTree(last);
    assertTrue(json.get("passed").asBoolean(), last);
    assertEquals(400, json.get("requests").asInt());
    assertTrue(json.at("/latencyMs/overall/p99Ms").asDouble() > 0, last);
    assertTrue(json.at("/heapMb/end").asDouble() > 0, last);
  }

  @Test
  void thePlanIsTheSameForTheSameSeedAndMixesEveryKind() {
    List<LoadPlan.Photo> photoList = List.of(new LoadPlan.Photo("/p/a.jpg", new byte[1000]),
        new LoadPlan.Photo("/p/b.jpg", new byte[2000]));
    List<String> ids = List.of("1111111111111111", "2222222222222222");
    List<LoadRequest> a = LoadPlan.generate(new Random(5), 2000, photoList, ids, ids::contains, true);
    List<LoadRequest> b = LoadPlan.generate(new Random(5), 2000, photoList, ids, ids::contains, true);
    assertEquals(a.stream().map(r -> r.kind() + " " + r.query() + " " + r.expectedCode()).toList(),
        b.stream().map(r -> r.kind() + " " + r.query() + " " + r.expectedCode()).toList());
    assertEquals(EnumSet.allOf(Kind.class), a.stream().map(LoadRequest::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class))));
    long bad = a.stream().filter(r -> !r.good()).count();
    assertTrue(bad > 400 && bad < 800, "about 30% bad: " + bad);
    assertTrue(a.stream().filter(r -> r.kind() == Kind.UNKNOWN_ID).noneMatch(r -> ids.contains(r.query().substring(3))));
    List<LoadRequest> noText = LoadPlan.generate(new Random(5), 500, photoList, ids, ids::contains, false);
    assertTrue(noText.stream().noneMatch(r -> r.kind() == Kind.TEXT));
  }

  @Test
  void aServerErrorAWrongCodeAnHtmlErrorPageAndADifferentAnswerAreCaught() {
    LoadHarness harness = new LoadHarness(new LoadHarness.Settings(1, 1, 1, 1 << 20, Duration.ofSeconds(1)));
    LoadRequest byId = new LoadRequest(Kind.BY_ID, "id=1111111111111111", null, 200, null, "id:1111111111111111", null);
    LoadRequest notAnImage = new LoadRequest(Kind.NOT_AN_IMAGE, null,
        new LoadRequest.Upload(new byte[10], 10, "x.bin", "application/octet-stream"), 415, "not_an_image", null, null);
    harness.verify(byId, new Answer(200, "{\"results\":[{\"id\":\"a\"},{\"id\":\"b\"}]}"));
    harness.verify(byId, new Answer(200, "{\"results\":[{\"id\":\"b\"},{\"id\":\"a\"}]}"));
    harness.verify(byId, new Answer(500, "{\"error\":\"boom\",\"code\":\"internal_error\",\"status\":500}"));
    harness.verify(notAnImage, new Answer(400, "{\"error\":\"no\",\"code\":\"bad_query\",\"status\":400}"));
    harness.verify(notAnImage, new Answer(415, "<html><body>Unsupported Media Type</body></html>"));
    var verdicts = harness.checks(new LoadHarness.Heap(10 << 20, 50 << 20, List.of(), 12 << 20, 1 << 30)).stream()
        .collect(Collectors.toMap(Check::name, Check::passed));
    assertEquals(false, verdicts.get("no-5xx"));
    assertEquals(false, verdicts.get("good-200"));
    assertEquals(false, verdicts.get("same-answers"));
    assertEquals(false, verdicts.get("bad-documented-code"));
    assertEquals(false, verdicts.get("bad-4xx-json"));
    assertEquals(false, verdicts.get("heap-bounded"), "2 MB more after GC, 1 MB allowed");
    assertEquals(true, verdicts.get("all-answered"));
  }

  /** A canned HTTP answer. */
  record Answer(int statusCode, String body) implements java.net.http.HttpResponse<String> {
    @Override
    public java.net.http.HttpRequest request() {
      return java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1/api/search")).build();
    }

    @Override
    public java.util.Optional<java.net.http.HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.URI uri() {
      return request().uri();
    }

    @Override
    public java.net.http.HttpClient.Version version() {
      return java.net.http.HttpClient.Version.HTTP_1_1;
    }
  }
}
