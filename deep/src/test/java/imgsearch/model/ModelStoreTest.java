package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.model.ModelStore.LocalFile;
import imgsearch.model.ModelStore.State;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.testing.deep.ModelHttpServer;
import imgsearch.testing.deep.TinyModels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  private static final String VISION = "/clip-vit-b32/vision.onnx";

  @TempDir
  Path dir;

  private ModelHttpServer server;
  private ModelCatalog catalog;
  private ModelSpec clip;
  private final List<String> events = new ArrayList<>();
  private final DownloadListener recorder = new DownloadListener() {
    @Override
    public void started(String label, long totalBytes, long resumedFrom) {
      events.add("start " + label + " " + totalBytes + " from " + resumedFrom);
    }

    @Override
    public void finished(String label, boolean ok) {
      events.add("end " + label + " " + ok);
    }
  };

  @BeforeEach
  void serve() throws IOException {
    server = new ModelHttpServer().serveAll(TinyModels.standardFiles());
    catalog = TinyModels.catalog("https://models.invalid");
    clip = catalog.find("clip-vit-b32").orElseThrow();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ModelStore store() {
    return new ModelStore(new ModelOptions(dir.resolve("cache"), null, URI.create(server.baseUrl()), recorder, 0));
  }

  @Test
  void downloadsVerifiesAndThenUsesTheCache() throws IOException {
    ModelStore store = store();
    assertEquals(State.MISSING, store.status(clip).get(0).state());

    LocalFile file = store.resolve(clip, clip.image().file());

    assertEquals(dir.resolve("cache/clip-vit-b32/vision.onnx"), file.path());
    assertArrayEquals(TinyModels.clipVision(), Files.readAllBytes(file.path()));
    assertEquals(clip.image().file().sha256(), file.sha256());
    long size = TinyModels.clipVision().length;
    assertEquals(List.of("start clip-vit-b32/vision.onnx " + size + " from 0", "end clip-vit-b32/vision.onnx true"),
        events);
    assertEquals(List.of(new ModelHttpServer.Request(VISION, null)), server.requests());
    assertEquals(State.CACHED, store.status(clip).get(0).state());
    assertFalse(Files.exists(dir.resolve("cache/clip-vit-b32/vision.onnx.part")));

    server.clearRequests();
    LocalFile again = new ModelStore(store.options()).resolve(clip, clip.image().file());
    assertEquals(file, again);
    assertEquals(List.of(), server.requests(), "a verified cached file is not downloaded again");
  }

  @Test
  void aBrokenDownloadResumesWhereItStopped() throws IOException {
    server.breakOnceAfter(VISION, 1000);
    ModelStore store = store();

    ModelUnavailableException broken = assertThrows(ModelUnavailableException.class,
        () -> store.resolve(clip, clip.image().file()));
    assertEquals(Reason.DOWNLOAD, broken.reason());
    assertTrue(broken.getMessage().contains("run the command again to resume"), broken.getMessage());
    assertTrue(broken.getMessage().contains("--model-dir"), broken.getMessage());
    assertEquals(State.PARTIAL, store.status(clip).get(0).state());
    assertEquals(1000, store.status(clip).get(0).bytesOnDisk());

    LocalFile file = store.resolve(clip, clip.image().file());

    assertArrayEquals(TinyModels.clipVision(), Files.readAllBytes(file.path()));
    assertEquals(new ModelHttpServer.Request(VISION, "bytes=1000-"), server.requests().get(1));
    assertTrue(events.contains("start clip-vit-b32/vision.onnx " + TinyModels.clipVision().length + " from 1000"),
        events.toString());
  }

  @Test
  void aFileThatDoesNotMatchItsChecksumIsRejectedAndDeleted() {
    byte[] wrong = TinyModels.clipText();
    server.serve(VISION, wrong);
    ModelStore store = store();

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> store.resolve(clip, clip.image().file()));

    assertEquals(Reason.CHECKSUM, e.reason());
    assertTrue(e.getMessage().contains(TinyModels.sha256(wrong)), e.getMessage());
    assertTrue(e.getMessage().contains(clip.image().file().sha256()), e.getMessage());
    assertTrue(e.getMessage().contains("--model-dir"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("cache/clip-vit-b32/vision.onnx")));
    assertFalse(Files.exists(dir.resolve("cache/clip-vit-b32/vision.onnx.part")));
    assertTrue(events.contains("end clip-vit-b32/vision.onnx false"), events.toString());
  }

  @Test
  void aDamagedCachedFileIsDownloadedAgain() throws IOException {
    Path cached = dir.resolve("cache/clip-vit-b32/vision.onnx");
    Files.createDirectories(cached.getParent());
    Files.write(cached, new byte[TinyModels.clipVision().length]);

    LocalFile file = store().resolve(clip, clip.image().file());

    assertArrayEquals(TinyModels.clipVision(), Files.readAllBytes(file.path()));
    assertEquals(1, server.requests().size());
  }

  @Test
  void noNetworkIsOneClearMessage() throws IOException {
    ModelHttpServer gone = new ModelHttpServer();
    String unreachable = gone.baseUrl();
    gone.close();
    ModelStore store = new ModelStore(new ModelOptions(dir.resolve("cache"), null, URI.create(unreachable), null, 0));

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> store.resolve(clip, clip.image().file()));

    assertEquals(Reason.DOWNLOAD, e.reason());
    assertEquals("clip-vit-b32", e.model());
    assertTrue(e.getMessage().startsWith("Model clip-vit-b32 is not available: cannot download vision.onnx from "
        + unreachable + "/clip-vit-b32/vision.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("network connection"), e.getMessage());
    assertTrue(e.getMessage().contains("--model-dir DIR"), e.getMessage());
  }

  @Test
  void anHttpErrorNamesTheStatus() {
    ModelSpec resnet = catalog.find("resnet50-v1").orElseThrow();
    server.serveAll(Map.of()); // resnet is served; ask for a name the server does not have
    ModelStore store = store();
    ModelFile missing = new ModelFile("nothing.onnx", "https://models.invalid/x", resnet.image().file().sha256(), 10);

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> store.resolve(resnet, missing));

    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void aModelDirIsReadWithoutNetwork() throws IOException {
    Path models = TinyModels.writeModelDir(dir.resolve("models"));
    ModelStore store = new ModelStore(
        new ModelOptions(dir.resolve("cache"), models, URI.create(server.baseUrl()), recorder, 0));

    List<LocalFile> files = store.pull(clip);

    assertEquals(models.resolve("clip-vit-b32/vision.onnx"), files.get(0).path());
    assertEquals(TinyModels.sha256(TinyModels.clipTokenizerJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        files.get(2).sha256());
    assertEquals(List.of(), server.requests());
    assertEquals(List.of(), events);
    assertEquals(List.of(State.LOCAL, State.LOCAL, State.LOCAL),
        store.status(clip).stream().map(ModelStore.FileStatus::state).toList());
  }

  @Test
  void aModelDirFileThatIsNotThePublishedOneIsUsedWithItsOwnChecksum() throws IOException {
    Path models = dir.resolve("flat");
    Files.createDirectories(models);
    byte[] other = TinyModels.resnet50();
    Files.write(models.resolve("vision.onnx"), other); // flat layout: DIR/<file>
    ModelStore store = new ModelStore(new ModelOptions(dir.resolve("cache"), models, null, null, 0));

    LocalFile file = store.resolve(clip, clip.image().file());

    assertEquals(models.resolve("vision.onnx"), file.path());
    assertEquals(TinyModels.sha256(other), file.sha256());
  }

  @Test
  void aFileMissingFromTheModelDirSaysWhereToGetIt() throws IOException {
    Path models = Files.createDirectories(dir.resolve("empty"));
    ModelStore store = new ModelStore(
        new ModelOptions(dir.resolve("cache"), models, URI.create(server.baseUrl()), null, 0));
    ModelSpec real = ModelCatalog.clipVitB32();

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> store.resolve(real, real.text().tokenizer()));

    assertEquals(Reason.MISSING_FILE, e.reason());
    String m = e.getMessage();
    assertTrue(m.contains("tokenizer.json is not in the model folder " + models), m);
    assertTrue(m.contains(real.text().tokenizer().url()), m);
    assertTrue(m.contains(real.text().tokenizer().sha256()), m);
    assertTrue(m.contains(models.resolve("clip-vit-b32/tokenizer.json").toString()), m);
    assertEquals(List.of(), server.requests());
    assertEquals(State.LOCAL_MISSING, store.status(real).get(2).state());
  }

  @Test
  void checksumsAreRememberedAndRecomputedWhenAFileChanges() throws IOException {
    ModelStore store = store();
    Path file = Files.write(dir.resolve("some.bin"), new byte[] {1, 2, 3});
    String first = store.sha256(file);
    assertEquals(TinyModels.sha256(new byte[] {1, 2, 3}), first);
    assertEquals(first, store.sha256(file));

    Files.write(file, new byte[] {1, 2, 3, 4});
    assertEquals(TinyModels.sha256(new byte[] {1, 2, 3, 4}), store.sha256(file));
  }

  @Test
  void mirrorUrlsFollowTheModelLayout() {
    ModelStore plain = new ModelStore(ModelOptions.defaults());
    ModelSpec real = ModelCatalog.clipVitB32();
    assertEquals(URI.create(real.image().file().url()), plain.downloadUri(real, real.image().file()));
    ModelStore mirrored = new ModelStore(ModelOptions.defaults().withMirror(URI.create("http://127.0.0.1:9/m/")));
    assertEquals(URI.create("http://127.0.0.1:9/m/clip-vit-b32/vision.onnx"),
        mirrored.downloadUri(real, real.image().file()));
    assertNull(ModelOptions.defaults().modelDir());
  }
}
