package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON API over real HTTP: searches, image bytes, and every kind of bad input. */
class ApiTest {

  static final long MAX_UPLOAD = 1L << 20;
  static final long MAX_PIXELS = 2_000_000;

  @TempDir
  static Path tmp;
  static ServedCollection served;
  static TestCollection photos;
  static Http http;

  @BeforeAll
  static void start() throws IOException {
    served = ServedCollection.start(tmp, config -> config.withLimits(MAX_UPLOAD, MAX_PIXELS), index -> index, null);
    photos = served.photos;
    http = served.http;
  }

  @AfterAll
  static void stop() throws IOException {
    if (served != null) {
      served.close();
    }
  }

  @Test
  void theServerSearchedWithEveryMethodAsItStarted() {
    // pixels (4 metrics), hsv-hist (2), edge-colour (1) and the test collection's own, each at least once
    assertTrue(served.server.warmedUp().join() >= 7, "searches: " + served.server.warmedUp().join());
  }

  @Test
  void healthReportsTheIndex() {
    HttpResponse<String> r = http.get("/api/health");
    assertEquals(200, r.statusCode());
    JsonNode body = Http.json(r);
    assertEquals("ok", body.get("status").asText());
    assertEquals(24, body.get("images").asInt());
    assertEquals("hsv-hist", body.get("descriptors").get(0).asText());
    JsonNode index = body.get("index");
    assertEquals("lucene", index.get("backend").asText());
    assertTrue(index.get("diskBytes").asLong() > 0, index.toString());
    for (JsonNode d : index.get("descriptors")) {
      // Each descriptor says how it is searched and, when it has a graph, how the graph stores vectors.
      assertTrue(d.get("search").asText().length() > 5, d.toString());
      assertEquals(d.get("graphMetrics").isEmpty(), d.get("quantization").isNull(), d.toString());
    }
  }

  @Test
  void descriptorsListTheirMetricsBestFirst() {
    JsonNode body = Http.json(http.get("/api/descriptors"));
    assertEquals("hsv-hist", body.get("default").asText());
    List<String> names = new ArrayList<>();
    for (JsonNode d : body.get("descriptors")) {
      names.add(d.get("name").asText());
      assertTrue(d.get("metrics").size() >= 1, d.toString());
      assertEquals(d.get("metrics").get(0).asText(), d.get("defaultMetric").asText());
    }
    assertEquals(List.of("hsv-hist", "pixels", "colour-words"), names);
    assertTrue(body.get("descriptors").get(2).get("text").asBoolean());
  }

  @Test
  void uploadFindsTheSameImageFirstWithDefaults() {
    String name = "train-forest-3.jpg";
    HttpResponse<String> r = http.post("/api/search", new Http.Multipart().image(photos.files.get(name)));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode body = Http.json(r);
    assertEquals("hsv-hist", body.get("descriptor").asText());
    assertTrue(body.has("metric") && body.has("tookMs"), body.toString());
    JsonNode results = body.get("results");
    assertEquals(SearchQuery.DEFAULT_K, results.size());
    JsonNode first = results.get(0);
    assertEquals(photos.id(name), first.get("id").asText());
    assertEquals("forest", first.get("class").asText());
    assertEquals("train", first.get("split").asText());
    assertTrue(first.get("path").asText().endsWith(name));
    assertEquals("/api/images/" + photos.id(name), first.get("url").asText());
    assertEquals("/api/images/" + photos.id(name) + "/thumbnail", first.get("thumbnailUrl").asText());
    assertEquals(0.0, first.get("score").asDouble(), 1e-3, "the same image is at distance 0");
    assertRankedBestFirst(body);
  }

  @Test
  void uploadWithChosenDescriptorMetricAndK() {
    String name = "test-ocean-1.jpg";
    HttpResponse<String> r = http.post("/api/search", new Http.Multipart().image(photos.files.get(name))
        .field("descriptor", "pixels").field("metric", "l2").field("k", "3").field("exact", "true"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Http.json(r);
    assertEquals("pixels", body.get("descriptor").asText());
    assertEquals("l2", body.get("metric").asText());
    assertEquals(3, body.get("results").size());
    assertEquals(photos.id(name), body.get("results").get(0).get("id").asText());
    assertRankedBestFirst(body);
  }

  @Test
  void kUpToAHundredAndMoreIsAccepted() {
    JsonNode body = Http.json(http.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&k=100"));
    assertEquals(23, body.get("results").size(), "every other image of the 24");
  }

  @Test
  void moreLikeAnIndexedImageExcludesItselfAndFindsItsClass() {
    String id = photos.id("train-ocean-2.jpg");
    HttpResponse<String> r = http.get("/api/search?id=" + id + "&k=5&descriptor=hsv-hist");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Http.json(r);
    assertEquals(5, body.get("results").size());
    for (JsonNode hit : body.get("results")) {
      assertFalse(hit.get("id").asText().equals(id), "the query image is not its own result");
    }
    assertEquals("ocean", body.get("results").get(0).get("class").asText());
    assertEquals("id", body.get("query").get("type").asText());
  }

  @Test
  void resultsCanBeLimitedToASplitAndClass() {
    JsonNode body = Http.json(http.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&split=test&class=ocean"));
    assertEquals(TestCollection.TEST_PER_CLASS, body.get("results").size());
    for (JsonNode hit : body.get("results")) {
      assertEquals("test", hit.get("split").asText());
      assertEquals("ocean", hit.get("class").asText());
    }
  }

  @Test
  void wordsSearchWithATextCapableDescriptor() {
    HttpResponse<String> r = http.get("/api/search?text=ocean&k=4");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Http.json(r);
    assertEquals("colour-words", body.get("descriptor").asText());
    for (JsonNode hit : body.get("results")) {
      assertEquals("ocean", hit.get("class").asText());
    }
    HttpResponse<String> posted = http.post("/api/search", new Http.Multipart().field("text", "amber").field("k", "2"));
    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals("amber", Http.json(posted).get("results").get(0).get("class").asText());
  }

  @Test
  void resultsCarryAttributionWithSafeLinksOnly() {
    JsonNode hostile = firstResult("train-amber-0.jpg");
    JsonNode a = hostile.get("attribution");
    assertEquals(TestCollection.HOSTILE_TITLE, a.get("title").asText(), "JSON keeps the text as it is");
    assertEquals(TestCollection.HOSTILE_OWNER, a.get("owner").asText());
    assertEquals("CC BY 2.0", a.get("license").asText());
    assertEquals(TestCollection.FLICKR_PAGE, a.get("pageUrl").asText());

    JsonNode scripted = firstResult("train-forest-0.jpg").get("attribution");
    assertEquals("Green walk", scripted.get("title").asText());
    assertFalse(scripted.has("pageUrl"), "a javascript: page URL is dropped");
    assertFalse(scripted.has("ownerUrl"), "a javascript: owner URL is dropped");

    assertFalse(firstResult("train-ocean-4.jpg").has("attribution"), "no attribution when none is known");
  }

  private static JsonNode firstResult(String name) {
    HttpResponse<String> r = http.post("/api/search", new Http.Multipart().image(photos.files.get(name)).field("k", "1"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode first = Http.json(r).get("results").get(0);
    assertEquals(photos.id(name), first.get("id").asText());
    return first;
  }

  @Test
  void imageBytesAreServedWithTypeAndCacheHeaders() {
    String name = "test-amber-0.jpg";
    HttpResponse<byte[]> r = http.getBytes("/api/images/" + photos.id(name));
    assertEquals(200, r.statusCode());
    assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertArrayEquals(photos.files.get(name), r.body());

    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, http.get("/api/images/" + photos.id(name), "If-None-Match", etag).statusCode());
  }

  @Test
  void thumbnailsAreMadeOnceAndCachedOnDisk() throws IOException {
    String id = photos.id("train-ocean-5.jpg");
    HttpResponse<byte[]> r = http.getBytes("/api/images/" + id + "/thumbnail");
    assertEquals(200, r.statusCode());
    assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertNotNull(thumb);
    assertEquals(120, thumb.getWidth(), "small images are not enlarged");
    try (Stream<Path> cached = Files.list(tmp.resolve("thumbs"))) {
      assertTrue(cached.anyMatch(p -> p.getFileName().toString().endsWith(".jpg")));
    }
    assertArrayEquals(r.body(), http.getBytes("/api/images/" + id + "/thumbnail").body(), "served from the cache");
  }

  @Test
  void pathsInTheRequestNeverReachTheFileSystem() {
    for (String path : List.of("/api/images/..%2F..%2Fetc%2Fpasswd", "/api/images/%2Fetc%2Fpasswd",
        "/api/images/" + photos.collection.resolve("train/amber/train-amber-0.jpg").toString().replace("/", "%2F"))) {
      HttpResponse<String> r = http.get(path);
      assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + " -> " + r.statusCode());
      assertFalse(r.body().contains("root:"), path);
    }
  }

  static Stream<Arguments> badInputs() {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(99, 200, 150), 0.9f);
    byte[] tooLarge = new byte[(int) MAX_UPLOAD + 200_000];
    new Random(5).nextBytes(tooLarge);
    String id = "0123456789";
    return Stream.of(
        bad("no file", h -> h.post("/api/search", new Http.Multipart().field("k", "5")), 400, "no_file"),
        bad("empty file field", h -> h.post("/api/search", new Http.Multipart().file("image", "", "application/octet-stream", new byte[0])), 400, "no_file"),
        bad("not multipart", h -> h.post("/api/search", "application/json", "{}".getBytes()), 400, "no_file"),
        bad("multipart without its boundary", h -> h.post("/api/search", "multipart/form-data; boundary=XYZ",
            "no boundary here".getBytes()), 400, "bad_multipart"),
        bad("multipart cut short", h -> h.post("/api/search", "multipart/form-data; boundary=XYZ",
            "--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\nab".getBytes()), 400,
            "bad_multipart"),
        bad("multipart with a bad character", h -> h.post("/api/search", "multipart/form-data; boundary=XYZ",
            "--XYZ\r\nno headers end".getBytes()), 400, "bad_multipart"),
        bad("not an image", h -> h.post("/api/search", new Http.Multipart().image(TestImages.html())), 415, "not_an_image"),
        bad("empty image", h -> h.post("/api/search", new Http.Multipart().image(new byte[0])), 415, "not_an_image"),
        bad("truncated image", h -> h.post("/api/search", new Http.Multipart().image(TestImages.truncated(jpeg, jpeg.length / 2))), 422, "truncated_image"),
        bad("unknown descriptor", h -> h.post("/api/search", new Http.Multipart().image(jpeg).field("descriptor", "sift")), 400, "unknown_descriptor"),
        bad("unknown descriptor by id", h -> h.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&descriptor=nope"), 400, "unknown_descriptor"),
        bad("unknown metric", h -> h.post("/api/search", new Http.Multipart().image(jpeg).field("metric", "manhattan")), 400, "unknown_metric"),
        bad("metric of another descriptor", h -> h.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&descriptor=colour-words&metric=l1"), 400, "unknown_metric"),
        bad("k zero", h -> h.post("/api/search", new Http.Multipart().image(jpeg).field("k", "0")), 400, "bad_k"),
        bad("k too large", h -> h.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&k=1001"), 400, "bad_k"),
        bad("k not a number", h -> h.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&k=ten"), 400, "bad_k"),
        bad("upload over the size limit", h -> h.post("/api/search", new Http.Multipart().image(tooLarge)), 413, "upload_too_large"),
        bad("upload over the size limit, sent chunked", h -> h.send(java.net.http.HttpRequest.newBuilder(h.uri("/api/search"))
            .header("Content-Type", new Http.Multipart().contentType())
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new Http.Multipart().image(tooLarge).bytes()))).build()), 413, "upload_too_large"),
        bad("decompression bomb", h -> h.post("/api/search", new Http.Multipart().file("image", "bomb.png", "image/png", TestImages.pngBomb(3000, 3000))), 413, "too_many_pixels"),
        bad("unknown id", h -> h.get("/api/search?id=" + id), 404, "unknown_id"),
        bad("nothing to search for", h -> h.get("/api/search?k=3"), 400, "missing_query"),
        bad("image and text at once", h -> h.post("/api/search", new Http.Multipart().image(jpeg).field("text", "ocean")), 400, "ambiguous_query"),
        bad("words with an image-only descriptor", h -> h.get("/api/search?text=ocean&descriptor=pixels"), 400, "text_not_supported"),
        bad("bad exact flag", h -> h.get("/api/search?id=" + photos.id("train-amber-1.jpg") + "&exact=maybe"), 400, "bad_exact"),
        bad("bytes of an unknown image", h -> h.get("/api/images/" + id), 404, "unknown_id"),
        bad("thumbnail of an unknown image", h -> h.get("/api/images/" + id + "/thumbnail"), 404, "unknown_id"),
        bad("unknown API path", h -> h.get("/api/nothing-here"), 404, "not_found"));
  }

  private static Arguments bad(String what, Function<Http, HttpResponse<String>> request, int status, String code) {
    return Arguments.of(what, request, status, code);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputGetsAJsonErrorAndTheServerKeepsServing(String what, Function<Http, HttpResponse<String>> request,
      int status, String code) {
    HttpResponse<String> r = request.apply(http);
    assertEquals(status, r.statusCode(), what + ": " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), what);
    JsonNode body = Http.json(r);
    assertEquals(code, body.get("code").asText(), what);
    assertEquals(status, body.get("status").asInt());
    assertTrue(body.get("error").asText().length() > 15, "the message says what was wrong: " + body);
    assertEquals(200, http.get("/api/health").statusCode(), "still serving after: " + what);
  }

  private static void assertRankedBestFirst(JsonNode body) {
    boolean higherIsBetter = body.get("higherIsBetter").asBoolean();
    double previous = higherIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    for (JsonNode hit : body.get("results")) {
      double score = hit.get("score").asDouble();
      assertTrue(higherIsBetter ? score <= previous + 1e-9 : score >= previous - 1e-9, body.toString());
      previous = score;
    }
  }
}
