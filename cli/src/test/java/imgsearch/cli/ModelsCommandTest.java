package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.model.ModelCatalog;
import imgsearch.testing.deep.ModelHttpServer;
import imgsearch.testing.deep.TinyModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelsCommandTest {

  @TempDir
  Path tmp;

  record Result(int exit, String out, String err) {}

  /** Runs {@code models ...} with Main's rule for failures: one line, exit 1, or 2 for usage errors. */
  static Result run(ModelCatalog catalog, String... args) {
    ModelsCommand command = new ModelsCommand();
    if (catalog != null) {
      command.catalog = catalog;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(command)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("imgsearch models: " + e.getMessage());
          return e instanceof UserError u && u.usage() ? 2 : 1;
        })
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void listsEveryFileWithItsSourceChecksumAndState() {
    Result r = run(null, "--model-cache", tmp.resolve("cache").toString());

    assertEquals(0, r.exit(), r.err());
    ModelCatalog standard = ModelCatalog.standard();
    assertTrue(r.out().contains("Download cache: " + tmp.resolve("cache")), r.out());
    for (var model : standard.models()) {
      assertTrue(r.out().contains(model.name() + "  " + model.title()), r.out());
      for (var file : model.files()) {
        assertTrue(r.out().contains(file.url()), file.url());
        assertTrue(r.out().contains("sha256 " + file.sha256()), file.name());
      }
    }
    assertTrue(r.out().matches("(?s).*vision.onnx +351.7 MB  missing.*"), r.out());
    assertTrue(r.out().contains("descriptor clip, 512-d, image and text search"), r.out());
  }

  @Test
  void pullDownloadsVerifiesAndThenListsTheFilesAsCached() throws IOException {
    try (ModelHttpServer server = new ModelHttpServer().serveAll(TinyModels.standardFiles())) {
      ModelCatalog tiny = TinyModels.catalog(server.baseUrl());
      String cache = tmp.resolve("cache").toString();

      Result pulled = run(tiny, "pull", "clip", "--model-cache", cache, "--model-mirror", server.baseUrl());

      assertEquals(0, pulled.exit(), pulled.err());
      assertTrue(pulled.out().contains("clip-vit-b32: 3 files ready in " + tmp.resolve("cache/clip-vit-b32")),
          pulled.out());
      assertTrue(pulled.err().contains("Downloaded and verified clip-vit-b32/text.onnx"), pulled.err());
      Result listed = run(tiny, "--model-cache", cache);
      assertTrue(listed.out().contains("cached"), listed.out());
      assertTrue(Files.isRegularFile(tmp.resolve("cache/clip-vit-b32/tokenizer.json")));
    }
  }

  @Test
  void pullChecksAModelDirWithoutNetwork() throws IOException {
    Path models = TinyModels.writeModelDir(tmp.resolve("models"));

    Result r = run(null, "--model-dir", models.toString(), "pull", "all", "--model-cache", tmp.resolve("c").toString());

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("clip-vit-b32: 3 files ready in " + models.resolve("clip-vit-b32")), r.out());
    assertTrue(r.out().contains("resnet50-v1: 1 files ready in " + models.resolve("resnet50-v1")), r.out());
  }

  @Test
  void aFailedPullIsOneMessageAndExitCodeOne() throws IOException {
    try (ModelHttpServer server = new ModelHttpServer().serveAll(TinyModels.standardFiles())) {
      // The standard catalogue's checksums are the real models'; the tiny stand-ins cannot match them.
      Result r = run(null, "pull", "resnet50", "--model-cache", tmp.resolve("cache").toString(), "--model-mirror",
          server.baseUrl());

      assertEquals(1, r.exit());
      assertTrue(r.err().contains("does not match its published checksum"), r.err());
      assertTrue(r.err().contains("--model-dir DIR"), r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }

  @Test
  void anUnknownModelIsAUsageError() {
    Result r = run(null, "pull", "vgg16", "--model-cache", tmp.toString());

    assertEquals(2, r.exit());
    assertTrue(r.err().contains("unknown model 'vgg16'; known: clip-vit-b32, resnet50-v1"), r.err());
  }
}
