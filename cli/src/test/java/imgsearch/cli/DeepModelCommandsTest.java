package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.deep.DeepDescriptors;
import imgsearch.descriptor.deep.DeepModels;
import imgsearch.index.ImageRecord;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.model.ModelOptions;
import imgsearch.testing.TestImages;
import imgsearch.testing.deep.ModelHttpServer;
import imgsearch.testing.deep.TinyModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} and {@code search} with deep models from {@code --model-dir}: the server searches by
 * words when the files are there and falls back to the classic descriptors, saying why, when they are
 * not; {@code search} stops with one line.
 */
class DeepModelCommandsTest {

  @TempDir
  static Path tmp;
  static Path photos;
  static Path index;
  static Path tinyModels;
  static Path noModels;

  @BeforeAll
  static void indexWithClip() throws IOException {
    photos = Files.createDirectories(tmp.resolve("photos"));
    int[] colours = {0xd03020, 0x2050d0};
    String[] names = {"red", "blue"};
    for (int c = 0; c < colours.length; c++) {
      for (int i = 0; i < 3; i++) {
        TestImages.write(photos, names[c] + i + ".png", TestImages.png(TestImages.solid(64, 48, colours[c] + i)));
      }
    }
    tinyModels = TinyModels.writeModelDir(tmp.resolve("models"));
    noModels = Files.createDirectories(tmp.resolve("no-models"));
    index = tmp.resolve("index");
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "index",
        photos.toString(), "--index", index.toString(), "--descriptors", "clip,hsv-hist",
        "--model-dir", tinyModels.toString(), "--model-cache", tmp.resolve("cache").toString());
    assertEquals(0, exit, err.toString());
  }

  @Test
  void serveSearchesByWordsWithTheModelDir() throws Exception {
    try (Serving s = serve(tinyModels)) {
      assertTrue(s.get("/").body().contains("name=\"text\""), "the page offers the text box");
      HttpResponse<String> r = s.client.send(HttpRequest.newBuilder(URI.create(s.url + "api/search"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("text=red&k=3")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = new ObjectMapper().readTree(r.body());
      assertEquals("clip", body.get("descriptor").asText());
      for (JsonNode hit : body.get("results")) {
        assertTrue(Path.of(hit.get("path").asText()).getFileName().toString().startsWith("red"), r.body());
      }
    }
  }

  @Test
  void serveFallsBackToTheClassicDescriptorsWithoutTheModelFiles() throws Exception {
    try (Serving s = serve(noModels)) {
      String page = s.get("/").body();
      assertTrue(page.contains("clip is unavailable.") && page.contains("--model-dir"), page);
      JsonNode descriptors = new ObjectMapper().readTree(s.get("api/descriptors").body());
      assertEquals("hsv-hist", descriptors.get("default").asText());
      assertEquals("clip", descriptors.get("unavailable").get(0).get("name").asText());
    }
  }

  @Test
  void searchByWordsWithoutTheModelFilesIsOneLineAndExitCodeOne() throws IOException {
    Path published = indexDescribedWithThePublishedClip();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "search", "--text", "a red fox",
        "--index", published.toString(), "--model-dir", noModels.toString(),
        "--model-cache", tmp.resolve("cache").toString());
    assertEquals(1, exit, err.toString());
    List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), err.toString());
    String line = lines.get(0);
    assertTrue(line.startsWith("imgsearch search: Model clip-vit-b32 is not available: text.onnx is not in the"
        + " model folder"), line);
    assertTrue(line.contains("--model-dir DIR"), line);
    assertFalse(err.toString().contains("Exception") || err.toString().contains("\tat "), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void indexWithADamagedModelFileSaysSoOnceAndLeavesTheIndexAsItWas() throws IOException {
    Path damaged = copyOfTinyModels("damaged-models");
    Files.writeString(damaged.resolve("clip-vit-b32/vision.onnx"), "not an ONNX model");
    Path existing = tmp.resolve("classic-index");
    assertEquals(0, CliRun.of("index", photos.toString(), "--index", existing.toString(), "--descriptors",
        "hsv-hist").exit());
    Map<String, String> before = contents(existing);

    CliRun r = CliRun.of("index", photos.toString(), "--index", existing.toString(), "--descriptors",
        "clip,hsv-hist", "--model-dir", damaged.toString(), "--model-cache", tmp.resolve("cache").toString());
    assertEquals(1, r.exit(), r.all());
    String line = theOneModelLine(r);
    assertTrue(line.contains("cannot read " + damaged.resolve("clip-vit-b32/vision.onnx") + " as an ONNX model"), line);
    assertTrue(line.contains("vision.onnx is not the published file"), line);
    assertEquals(before, contents(existing), "the index is not touched: no descriptor registered, no commit");
  }

  @Test
  void indexWithAnotherModelsFileInTheModelDirFailsBeforeCreatingTheIndex() throws IOException {
    Path mismatched = copyOfTinyModels("mismatched-models");
    Files.write(mismatched.resolve("clip-vit-b32/vision.onnx"), TinyModels.resnet50());
    Path fresh = tmp.resolve("never-created-1");
    CliRun r = CliRun.of("index", photos.toString(), "--index", fresh.toString(), "--descriptors", "clip",
        "--model-dir", mismatched.toString(), "--model-cache", tmp.resolve("cache").toString());
    assertEquals(1, r.exit(), r.all());
    assertTrue(theOneModelLine(r).contains("vision.onnx"), r.all());
    assertFalse(Files.exists(fresh), "no index folder");
  }

  @Test
  void indexOfflineWithAnEmptyCacheFailsBeforeCreatingTheIndex() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort(); // nothing listens there once closed: "connection refused", as offline
    }
    Path fresh = tmp.resolve("never-created-2");
    CliRun r = CliRun.of("index", photos.toString(), "--index", fresh.toString(), "--descriptors", "clip",
        "--model-cache", Files.createDirectories(tmp.resolve("empty-cache")).toString(),
        "--model-mirror", "http://127.0.0.1:" + closedPort);
    assertEquals(1, r.exit(), r.all());
    assertTrue(theOneModelLine(r).contains("cannot download vision.onnx"), r.all());
    assertFalse(Files.exists(fresh), "no index folder");
  }

  @Test
  void indexWithADownloadThatFailsItsChecksumFailsBeforeCreatingTheIndex() throws IOException {
    Path fresh = tmp.resolve("never-created-3");
    try (ModelHttpServer server = new ModelHttpServer()) {
      server.serve("/clip-vit-b32/vision.onnx", "not the published bytes".getBytes(StandardCharsets.UTF_8));
      CliRun r = CliRun.of("index", photos.toString(), "--index", fresh.toString(), "--descriptors", "clip",
          "--model-cache", tmp.resolve("checksum-cache").toString(), "--model-mirror", server.baseUrl());
      assertEquals(1, r.exit(), r.all());
      assertTrue(theOneModelLine(r).contains("does not match its published checksum"), r.all());
    }
    assertFalse(Files.exists(fresh), "no index folder");
  }

  /**
   * The one line a model failure prints (download progress aside): what failed, and how to provide the
   * files. Nothing on the output, nothing logged, no stack trace.
   */
  private static String theOneModelLine(CliRun r) {
    List<String> lines = r.complaints().stream()
        .filter(l -> !l.startsWith("Downloading ") && !l.startsWith("Download failed") && !l.matches("\\s+\\S+: \\d+%"))
        .toList();
    assertEquals(1, lines.size(), r.all());
    String line = lines.get(0);
    assertTrue(line.startsWith("imgsearch index: Model clip-vit-b32 is not available: "), line);
    for (String remedy : List.of("--model-dir DIR", "IMGSEARCH_MODEL_DIR", "docs/deep-models.md",
        "leave clip out of --descriptors")) {
      assertTrue(line.contains(remedy), remedy + " in " + line);
    }
    assertFalse(r.all().contains("\tat "), r.all());
    assertEquals("", r.out(), "nothing started");
    return line;
  }

  private static Path copyOfTinyModels(String name) throws IOException {
    return TinyModels.writeModelDir(tmp.resolve(name));
  }

  /** Every file under {@code dir} with its SHA-256. */
  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), TinyModels.sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  /**
   * An index whose clip vectors were made with the published weights (as after a download), without
   * having them: its spec is what the published files identify as; the vectors are made up.
   */
  private static Path indexDescribedWithThePublishedClip() throws IOException {
    Path dir = tmp.resolve("published-index");
    DescriptorRegistry registry = ClassicDescriptors.registry();
    try (DeepModels unused = DeepDescriptors.register(registry, ModelOptions.defaults()
        .withCacheDir(tmp.resolve("published-cache")));
         LuceneImageIndex writable = LuceneImageIndex.open(dir)) {
      Descriptor clip = registry.create("clip");
      writable.registerDescriptor(clip.spec());
      for (int i = 0; i < 3; i++) {
        float[] vector = new float[clip.dimension()];
        vector[i] = 1f;
        String id = "image" + i;
        writable.upsert(new ImageRecord(id, tmp.resolve(id + ".png").toString(), "hash" + i, 100, 64, 48, null, null,
            null, Set.of(clip.spec().key())), Map.of("clip", vector));
      }
      writable.commit();
    }
    return dir;
  }

  /** Runs {@code imgsearch serve} over the index with {@code --model-dir modelDir} until closed. */
  private static Serving serve(Path modelDir) throws Exception {
    ServeCommandTest.UrlWatcher out = new ServeCommandTest.UrlWatcher();
    ServeCommand serve = new ServeCommand();
    CommandLine cmd = new CommandLine(serve).setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute("--index", index.toString(),
        "--port", "0", "--model-dir", modelDir.toString(), "--model-cache", tmp.resolve("cache").toString(),
        "--thumbnails", tmp.resolve("thumbs").toString()));
    String url = out.url.get(60, TimeUnit.SECONDS);
    return new Serving(serve, exit, url, HttpClient.newHttpClient());
  }

  private record Serving(ServeCommand serve, CompletableFuture<Integer> exit, String url, HttpClient client)
      implements AutoCloseable {

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + path.replaceFirst("^/", "")))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return r;
    }

    @Override
    public void close() throws Exception {
      serve.stop();
      assertEquals(0, exit.get(60, TimeUnit.SECONDS));
    }
  }
}
