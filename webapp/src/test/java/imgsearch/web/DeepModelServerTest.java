package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.deep.DeepDescriptors;
import imgsearch.descriptor.deep.DeepModels;
import imgsearch.image.ImageDecoder;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.model.ModelOptions;
import imgsearch.testing.TestImages;
import imgsearch.testing.deep.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over an index described with {@code clip} (the tiny stand-in model, read from a
 * {@code --model-dir} folder) and {@code hsv-hist}: words are searched with clip when its model loads,
 * and when it does not (files gone, wrong signature, a broken text encoder) the server still starts,
 * falls back to what works and says why on the page and in the API.
 */
class DeepModelServerTest {

  static final int[] COLOURS = {0xd03020, 0x2050d0, 0x30a040};
  static final String[] NAMES = {"red", "blue", "green"};

  @TempDir
  static Path tmp;
  static Path indexDir;
  static Path tinyModels;

  static Path photos;

  @BeforeAll
  static void indexWithClip() throws IOException {
    photos = Files.createDirectories(tmp.resolve("photos"));
    for (int c = 0; c < COLOURS.length; c++) {
      for (int i = 0; i < 4; i++) {
        TestImages.write(photos, NAMES[c] + i + ".png", TestImages.png(tinted(c * 10L + i, COLOURS[c])));
      }
    }
    tinyModels = TinyModels.writeModelDir(tmp.resolve("models"));
    indexDir = tmp.resolve("index");
    index(indexDir, "clip", "hsv-hist");
  }

  /** Indexes the photos into {@code dir} with the named descriptors, the deep ones from the tiny models. */
  static void index(Path dir, String... names) throws IOException {
    DescriptorRegistry registry = ClassicDescriptors.registry();
    try (DeepModels models = DeepDescriptors.register(registry, options(tinyModels, "index-cache"));
         LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      List<Descriptor> descriptors = java.util.Arrays.stream(names).map(registry::create).toList();
      IndexSummary summary = new Indexer(index, new ImageDecoder(), descriptors, 2).index(photos, IndexListener.NONE);
      assertEquals(12, summary.indexed() + summary.unchanged(), summary.toString());
    }
  }

  @Test
  void searchesByWordsWithTheTextModel() throws IOException {
    try (Served s = serve(tinyModels)) {
      String page = s.http.get("/").body();
      assertTrue(page.contains("name=\"text\""), "the text box is shown");
      assertFalse(page.contains("model-notice"), page);

      HttpResponse<String> posted = s.http.post("/api/search", new Http.Multipart().field("text", "a red fox")
          .field("k", "4"));
      assertEquals(200, posted.statusCode(), posted.body());
      JsonNode body = Http.json(posted);
      assertEquals("clip", body.get("descriptor").asText());
      assertEquals("text", body.get("query").get("type").asText());
      assertEquals(List.of("red", "red", "red", "red"), colours(body));

      HttpResponse<String> form = s.http.post("/api/search", "application/x-www-form-urlencoded",
          "text=blue&k=4".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, form.statusCode(), form.body());
      assertEquals(List.of("blue", "blue", "blue", "blue"), colours(Http.json(form)));

      JsonNode descriptors = Http.json(s.http.get("/api/descriptors"));
      assertEquals("clip", descriptors.get("default").asText());
      assertTrue(descriptors.get("descriptors").get(0).get("text").asBoolean());
      assertEquals(0, descriptors.get("unavailable").size());
      // The tests run with the default, CPU-only ONNX Runtime build.
      assertEquals("CPU", descriptors.get("descriptors").get(0).get("executionProvider").asText());
      assertFalse(descriptors.get("descriptors").get(1).has("executionProvider"), "hsv-hist has no model");

      JsonNode models = Http.json(s.http.get("/api/health")).get("models");
      assertEquals(1, models.size(), models.toString());
      assertEquals("clip", models.get(0).get("descriptor").asText());
      assertEquals("clip-vit-b32", models.get(0).get("model").asText());
      assertEquals("CPU", models.get(0).get("executionProvider").asText());
      assertEquals("this ONNX Runtime build has no CUDA provider", models.get(0).get("note").asText());
    }
  }

  @Test
  void missingModelFilesFallBackToTheClassicDescriptors() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("no-models"));
    try (Served s = serve(empty)) {
      assertFallsBack(s.http, "is not in the model folder");
    }
  }

  @Test
  void aModelWithTheWrongSignatureFallsBackToTheClassicDescriptors() throws IOException {
    Path wrong = TinyModels.writeModelDir(tmp.resolve("wrong-models"));
    Files.write(wrong.resolve("clip-vit-b32/vision.onnx"), TinyModels.resnet50()); // input "data", not "pixel_values"
    try (Served s = serve(wrong)) {
      assertFallsBack(s.http, "pixel_values");
    }
  }

  @Test
  void aDeepDescriptorIndexedWhileServingIsCheckedToo() throws IOException {
    Path late = tmp.resolve("late-index");
    index(late, "hsv-hist");
    Path empty = Files.createDirectories(tmp.resolve("late-no-models"));
    try (Served s = serve(late, empty)) {
      JsonNode before = Http.json(s.http.get("/api/descriptors"));
      assertEquals("hsv-hist", before.get("default").asText());
      assertEquals(0, before.get("unavailable").size());

      index(late, "clip", "hsv-hist"); // another process adds clip; this server has no model files for it
      s.index().refresh(); // what the server does by itself within half a second

      JsonNode after = Http.json(s.http.get("/api/descriptors"));
      assertEquals("hsv-hist", after.get("default").asText(), after.toString());
      assertEquals("clip", after.get("unavailable").get(0).get("name").asText(), after.toString());
      assertTrue(s.http.get("/").body().contains("clip is unavailable."));
    }
  }

  /** The page says why clip is off, the API lists it, and photos are searched with hsv-hist. */
  private static void assertFallsBack(Http http, String why) throws IOException {
    String page = http.get("/").body();
    assertTrue(page.contains("clip is unavailable."), page);
    assertTrue(page.contains("--model-dir"), page);
    assertTrue(page.contains("Searching with hsv-hist instead."), page);
    assertFalse(page.contains("name=\"text\""), "no text box without a text model");

    JsonNode descriptors = Http.json(http.get("/api/descriptors"));
    assertEquals("hsv-hist", descriptors.get("default").asText());
    JsonNode unavailable = descriptors.get("unavailable");
    assertEquals(1, unavailable.size(), unavailable.toString());
    assertEquals("clip", unavailable.get(0).get("name").asText());
    assertFalse(unavailable.get(0).get("textOnly").asBoolean());
    String reason = unavailable.get(0).get("reason").asText();
    assertTrue(reason.contains(why) && reason.contains("--model-dir"), reason);
    for (JsonNode d : descriptors.get("descriptors")) {
      assertFalse(d.get("name").asText().equals("clip"), descriptors.toString());
    }

    JsonNode health = Http.json(http.get("/api/health"));
    assertEquals("ok", health.get("status").asText());
    assertEquals("clip", health.get("unavailable").get(0).get("name").asText());
    assertEquals(0, health.get("models").size(), "no model loaded: " + health);

    HttpResponse<String> byImage = http.post("/api/search", new Http.Multipart()
        .image(TestImages.jpeg(tinted(77, COLOURS[1]), 0.9f)).field("k", "3"));
    assertEquals(200, byImage.statusCode(), byImage.body());
    assertEquals("hsv-hist", Http.json(byImage).get("descriptor").asText());
    assertEquals(List.of("blue", "blue", "blue"), colours(Http.json(byImage)));

    assertRefused(http.post("/api/search", new Http.Multipart().field("text", "red")), "clip is unavailable");
    String id = Http.json(byImage).get("results").get(0).get("id").asText();
    assertRefused(http.get("/api/search?descriptor=clip&id=" + id), "clip is unavailable");
  }

  @Test
  void aBrokenTextEncoderKeepsClipForPhotosOnly() throws IOException {
    Path broken = TinyModels.writeModelDir(tmp.resolve("broken-text"));
    Files.write(broken.resolve("clip-vit-b32/text.onnx"), "not an ONNX model".getBytes(StandardCharsets.UTF_8));
    try (Served s = serve(broken)) {
      String page = s.http.get("/").body();
      assertTrue(page.contains("clip cannot search by words."), page);
      assertFalse(page.contains("name=\"text\""), "no text box without a text encoder");

      JsonNode descriptors = Http.json(s.http.get("/api/descriptors"));
      assertEquals("clip", descriptors.get("default").asText());
      assertFalse(descriptors.get("descriptors").get(0).get("text").asBoolean());
      assertTrue(descriptors.get("unavailable").get(0).get("textOnly").asBoolean());

      HttpResponse<String> byImage = s.http.post("/api/search", new Http.Multipart()
          .image(TestImages.jpeg(tinted(78, COLOURS[2]), 0.9f)).field("k", "3"));
      assertEquals(200, byImage.statusCode(), byImage.body());
      assertEquals("clip", Http.json(byImage).get("descriptor").asText());
      assertEquals(List.of("green", "green", "green"), colours(Http.json(byImage)));

      assertRefused(s.http.post("/api/search", new Http.Multipart().field("text", "green")),
          "clip cannot search by words");
      HttpResponse<String> wordsPage = s.http.get("/search?text=green");
      assertEquals(503, wordsPage.statusCode());
      assertTrue(wordsPage.body().contains("Model unavailable")
          && wordsPage.body().contains("clip cannot search by words: Model clip-vit-b32"), wordsPage.body());
    }
  }

  private static void assertRefused(HttpResponse<String> r, String message) {
    assertEquals(503, r.statusCode(), r.body());
    JsonNode body = Http.json(r);
    assertEquals("descriptor_unavailable", body.get("code").asText());
    assertTrue(body.get("error").asText().contains(message) && body.get("error").asText().contains("--model-dir"),
        r.body());
  }

  /** A server over the index with deep models read from {@code modelDir}, as {@code imgsearch serve} runs it. */
  private static Served serve(Path modelDir) throws IOException {
    return serve(indexDir, modelDir);
  }

  private static Served serve(Path indexDir, Path modelDir) throws IOException {
    DescriptorRegistry registry = ClassicDescriptors.registry();
    DeepModels models = DeepDescriptors.register(registry, options(modelDir, "serve-cache"));
    LuceneImageIndex index = LuceneImageIndex.openReadOnly(indexDir);
    WebServer server = WebServer.start(ServerConfig.defaults(indexDir).withPort(0)
        .withCacheDir(tmp.resolve("thumbs")), index, registry);
    return new Served(server, models, index, new Http(server.port()));
  }

  private record Served(WebServer server, DeepModels models, LuceneImageIndex index, Http http)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      server.stop();
      models.close();
      index.close();
    }
  }

  private static ModelOptions options(Path modelDir, String cache) {
    return ModelOptions.defaults().withCacheDir(tmp.resolve(cache)).withModelDir(modelDir);
  }

  /** The colour names of the results' files, best first. */
  private static List<String> colours(JsonNode body) {
    List<String> out = new ArrayList<>();
    for (JsonNode hit : body.get("results")) {
      out.add(Path.of(hit.get("path").asText()).getFileName().toString().replaceAll("\\d.*", ""));
    }
    return out;
  }

  static BufferedImage tinted(long seed, int rgb) {
    BufferedImage img = TestImages.photoLike(seed, 120, 90);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int r = (((p >> 16) & 255) + 3 * ((rgb >> 16) & 255)) / 4;
        int g = (((p >> 8) & 255) + 3 * ((rgb >> 8) & 255)) / 4;
        int b = ((p & 255) + 3 * (rgb & 255)) / 4;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }
}
