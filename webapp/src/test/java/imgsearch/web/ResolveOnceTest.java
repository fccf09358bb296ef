package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.image.ImageDecoder;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search request checks its parameters before it decodes the upload (a bad request costs no decoding),
 * and reads the index's descriptor catalogue once (on Solr each read is an HTTP call). Both are counted, not
 * timed: the uploads go through a counting decoder, the index through a proxy that counts
 * {@code descriptors()}.
 */
class ResolveOnceTest {

  @TempDir
  static Path tmp;
  static ServedCollection served;
  static TestCollection photos;
  static Http http;
  static final AtomicInteger decodes = new AtomicInteger();
  static final AtomicInteger catalogueReads = new AtomicInteger();
  /** Random bytes: no decoder could make an image of them. */
  static final byte[] UNDECODABLE = new byte[200_000];
  /** A real photo-sized JPEG, large enough that decoding it would be the request's main cost. */
  static final byte[] LARGE_PHOTO = TestImages.jpeg(TestImages.photoLike(11, 1600, 1200), 0.9f);

  @BeforeAll
  static void start() throws IOException {
    new Random(9).nextBytes(UNDECODABLE);
    ImageDecoder decoder = new ImageDecoder();
    UploadReader.Decoder countingDecoder = (bytes, minSide) -> {
      decodes.incrementAndGet();
      return decoder.decode(bytes, minSide);
    };
    served = ServedCollection.start(tmp, config -> config, index -> ServedCollection.watched(index, method -> {
      if (method.getName().equals("descriptors")) {
        catalogueReads.incrementAndGet();
      }
    }), countingDecoder);
    photos = served.photos;
    http = served.http;
  }

  @AfterAll
  static void stop() throws IOException {
    if (served != null) {
      served.close();
    }
  }

  @BeforeEach
  void warmUp() {
    // The first request after start builds the catalogue; count from a steady state.
    assertEquals(200, http.get("/api/descriptors").statusCode());
    decodes.set(0);
  }

  @Test
  void aBadParameterIsRefusedBeforeTheUploadIsDecoded() {
    assertRefusedUndecoded(() -> http.post("/api/search", new Http.Multipart().image(UNDECODABLE).field("k", "0")),
        400, "bad_k");
    assertRefusedUndecoded(() -> http.post("/api/search", new Http.Multipart().image(UNDECODABLE).field("k", "ten")),
        400, "bad_k");
    assertRefusedUndecoded(() -> http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO)
        .field("descriptor", "sift")), 400, "unknown_descriptor");
    assertRefusedUndecoded(() -> http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO)
        .field("metric", "manhattan")), 400, "unknown_metric");
    assertRefusedUndecoded(() -> http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO)
        .field("descriptor", "pixels").field("metric", "chi2")), 400, "unknown_metric");
    assertRefusedUndecoded(() -> http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO).field("text", "sea")),
        400, "ambiguous_query");

    HttpResponse<String> page = http.post("/search", new Http.Multipart().image(UNDECODABLE).field("k", "5000"));
    assertEquals(400, page.statusCode());
    assertTrue(page.body().contains("k must be between 1 and"), page.body());
    HttpResponse<String> compare = http.post("/compare", new Http.Multipart().image(LARGE_PHOTO).field("k", "-1"));
    assertEquals(400, compare.statusCode());
    assertEquals(0, decodes.get(), "no upload of a refused request was decoded");

    // The counter does see decoding: a good request decodes its upload once, a bad image is still said.
    assertEquals(200, http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO).field("k", "3")).statusCode());
    assertEquals(1, decodes.get());
    HttpResponse<String> notAnImage = http.post("/api/search", new Http.Multipart().image(UNDECODABLE));
    assertEquals(415, notAnImage.statusCode(), notAnImage.body());
    assertEquals(2, decodes.get());
  }

  private static void assertRefusedUndecoded(Supplier<HttpResponse<String>> request, int status, String code) {
    HttpResponse<String> r = request.get();
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(code, Http.json(r).get("code").asText(), r.body());
    assertEquals(0, decodes.get(), code + ": the upload was not decoded");
  }

  @Test
  void eachSearchReadsTheCatalogueOnce() {
    String id = photos.id("train-amber-1.jpg");
    assertReadsCatalogueOnce(() -> http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO)));
    assertReadsCatalogueOnce(() -> http.post("/api/search", new Http.Multipart().image(LARGE_PHOTO)
        .field("descriptor", "pixels").field("metric", "l2").field("k", "4")));
    assertReadsCatalogueOnce(() -> http.get("/api/search?id=" + id));
    assertReadsCatalogueOnce(() -> http.get("/api/search?text=ocean"));
    assertReadsCatalogueOnce(() -> http.post("/search", new Http.Multipart().image(LARGE_PHOTO)));
    assertReadsCatalogueOnce(() -> http.get("/search?id=" + id + "&descriptor=pixels"));
    assertReadsCatalogueOnce(() -> http.get("/compare?id=" + id));
  }

  private static void assertReadsCatalogueOnce(Supplier<HttpResponse<String>> request) {
    catalogueReads.set(0);
    HttpResponse<String> r = request.get();
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, catalogueReads.get(), "reads of the descriptor catalogue for " + r.request().uri());
  }
}
