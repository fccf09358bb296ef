package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.cli.ModelsCommandTest.Result;
import imgsearch.model.ModelCatalog;
import imgsearch.testing.deep.ModelHttpServer;
import imgsearch.testing.deep.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imgsearch models verify} on tiny models, downloaded from a loopback server or in --model-dir. */
class ModelsVerifyCommandTest {

  @TempDir
  Path tmp;

  @Test
  void verifyDownloadsANamedModelWithProgressChecksItAndReportsWhatRan() throws IOException {
    try (ModelHttpServer server = new ModelHttpServer().serveAll(TinyModels.standardFiles())) {
      ModelCatalog tiny = TinyModels.catalog(server.baseUrl());
      String cache = tmp.resolve("cache").toString();

      Result r = ModelsCommandTest.run(tiny, "verify", "clip", "--model-cache", cache, "--model-mirror",
          server.baseUrl());

      assertEquals(0, r.exit(), r.err() + r.out());
      for (String file : List.of("vision.onnx", "text.onnx", "tokenizer.json")) {
        assertTrue(r.err().contains("Downloading clip-vit-b32/" + file), r.err());
        assertTrue(r.err().contains("Downloaded and verified clip-vit-b32/" + file), r.err());
      }
      String out = r.out();
      assertTrue(out.matches("(?s)ONNX Runtime 1\\.\\d+\\.\\d+, execution providers in this build: CPU.*"), out);
      assertTrue(out.contains("  image encoder  " + tmp.resolve("cache/clip-vit-b32/vision.onnx")), out);
      assertTrue(out.contains("    sha256     " + TinyModels.sha256(TinyModels.clipVision()) + " (the published file)"),
          out);
      assertTrue(out.contains("    signature  (pixel_values float[?,3,224,224]) -> (image_embeds float[?,512],"
          + " last_hidden_state float[?,3,1,1])"), out);
      assertTrue(out.contains("    bound      pixel_values <- the images (by name); embedding from image_embeds"
          + " (by name)"), out);
      assertTrue(out.contains("    runs on    CPU (this ONNX Runtime build has no CUDA provider)"), out);
      assertTrue(out.matches("(?s).*    output     512 values, norm \\d+\\.\\d{4} before normalisation\n.*"), out);
      assertTrue(out.matches("(?s).*    time       \\d+\\.\\d ms per image on this machine \\(\\d+\\.\\d ms of it"
          + " preprocessing; \\d+ images, 8 per call\\)\n.*"), out);
      assertTrue(out.contains("  text encoder  " + tmp.resolve("cache/clip-vit-b32/text.onnx")), out);
      assertTrue(out.contains("input_ids <- the token ids (by name), attention_mask <- the attention mask (by name)"),
          out);
      Matcher first = Pattern.compile("    1\\. +(-?\\d\\.\\d{4})  (.*?)   <- describes the test image").matcher(out);
      assertTrue(first.find(), out);
      assertEquals("a red circle on a white background", first.group(2));
      assertTrue(out.contains("    5. "), out);
      assertTrue(out.contains("  OK\n"), out);
      assertTrue(out.endsWith("1 of 1 models verified.\n"), out);

      // Without a name: every model that is downloaded, here CLIP only; nothing is fetched again.
      server.clearRequests();
      Result again = ModelsCommandTest.run(tiny, "verify", "--model-cache", cache, "--model-mirror", server.baseUrl());
      assertEquals(0, again.exit(), again.err() + again.out());
      assertTrue(again.out().contains("clip-vit-b32  "), again.out());
      assertFalse(again.out().contains("resnet50-v1  "), again.out());
      assertEquals(List.of(), server.requests());
    }
  }

  @Test
  void aDownloadThatFailsItsChecksumFailsTheModel() throws IOException {
    try (ModelHttpServer server = new ModelHttpServer().serveAll(TinyModels.standardFiles())) {
      // The standard catalogue's checksums are the real models'; the tiny files cannot match them.
      Result r = ModelsCommandTest.run(null, "verify", "resnet50", "--model-cache", tmp.resolve("c").toString(),
          "--model-mirror", server.baseUrl());

      assertEquals(1, r.exit(), r.out());
      assertTrue(r.out().contains("  FAILED: Model resnet50-v1 is not available: "), r.out());
      assertTrue(r.out().contains("does not match its published checksum"), r.out());
      assertTrue(r.out().endsWith("1 of 1 models failed: resnet50-v1.\n"), r.out());
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }

  @Test
  void aModelDirWithOtherExportsVerifiesAndSaysHowTheyWereBound() throws IOException {
    Path models = TinyModels.writeModelDir(tmp.resolve("variants"), TinyModels.variantFiles());

    Result r = ModelsCommandTest.run(null, "verify", "--model-dir", models.toString(), "--model-cache",
        tmp.resolve("c").toString());

    assertEquals(0, r.exit(), r.err() + r.out());
    String out = r.out();
    assertTrue(out.contains("(not the published file: used as given)"), out);
    assertTrue(out.contains("    bound      image <- the images (by position and shape); embedding from embedding"
        + " (by position and shape)"), out);
    assertTrue(out.contains("token_type_ids <- zeros (token types) (by name)"), out);
    assertTrue(out.contains("position_ids <- the positions 0..L-1 (by name)"), out);
    assertTrue(out.contains("scale left at its default"), out);
    assertTrue(out.contains("one image per call: it declares resnetv17_pool1_fwd with batch size 1"), out);
    assertTrue(out.contains("1 per call)"), out);
    assertTrue(out.endsWith("2 of 2 models verified.\n"), out);
  }

  @Test
  void aWrongFileFailsWithTheSignatureAndOtherModelsStillRun() throws IOException {
    Map<String, byte[]> files = new HashMap<>(TinyModels.standardFiles());
    files.put("clip-vit-b32/vision.onnx", TinyModels.clipText());
    Path models = TinyModels.writeModelDir(tmp.resolve("wrong"), files);

    Result r = ModelsCommandTest.run(null, "verify", "--model-dir", models.toString(), "--model-cache",
        tmp.resolve("c").toString());

    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("is not the image encoder the catalogue describes"), r.out());
    assertTrue(r.out().contains("found (input_ids int64[?,?], attention_mask int64[?,?]) -> (text_embeds float[?,512])"),
        r.out());
    assertTrue(r.out().contains("resnet50-v1  "), "the next model is still checked: " + r.out());
    assertTrue(r.out().endsWith("1 of 2 models failed: clip-vit-b32.\n"), r.out());
  }

  @Test
  void onlyTheImageEncoderIsCheckedWhenTheTextFilesAreMissing() throws IOException {
    Path models = TinyModels.writeModelDir(tmp.resolve("image-only"),
        Map.of("clip-vit-b32/vision.onnx", TinyModels.clipVision()));

    Result r = ModelsCommandTest.run(null, "verify", "--model-dir", models.toString(), "--model-cache",
        tmp.resolve("c").toString());

    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains("  text encoder  not checked: its text files are not in the folder;"
        + " `imgsearch models verify clip` fetches and checks them"), r.out());
  }

  @Test
  void nothingToVerifyIsAFailureThatSaysWhatToDo() throws IOException {
    Result r = ModelsCommandTest.run(null, "verify", "--model-cache", tmp.resolve("empty").toString());

    assertEquals(1, r.exit());
    assertTrue(r.err().contains("no model to verify: none is downloaded in " + tmp.resolve("empty")), r.err());
    assertTrue(r.err().contains("`imgsearch models verify clip` downloads CLIP and checks it"), r.err());

    Result dir = ModelsCommandTest.run(null, "verify", "--model-dir", Files.createDirectories(tmp.resolve("none"))
        .toString());
    assertEquals(1, dir.exit());
    assertTrue(dir.err().contains("has none of the catalogue's image encoders"), dir.err());
  }

  @Test
  void usageErrorsAndHelp() {
    Result unknown = ModelsCommandTest.run(null, "verify", "vgg16", "--model-cache", tmp.toString());
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("unknown model 'vgg16'; known: clip-vit-b32, resnet50-v1"), unknown.err());

    Result device = ModelsCommandTest.run(null, "verify", "--device", "tpu", "--model-cache", tmp.toString());
    assertEquals(2, device.exit());
    assertTrue(device.err().contains("--device: unknown device 'tpu'; use auto, cpu or cuda"), device.err());

    Result help = ModelsCommandTest.run(null, "verify", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("Usage: models verify"), help.out());
    assertTrue(help.out().contains("--model-dir"), help.out());
    assertTrue(help.out().contains("--device"), help.out());
    assertTrue(help.out().contains("1   a model failed"), help.out());
  }

  /** This build has no CUDA: asking for it is a clear failure of each model, not a fallback. */
  @Test
  void cudaAskedForWithoutCudaFailsClearly() throws IOException {
    Path models = TinyModels.writeModelDir(tmp.resolve("models"));

    Result r = ModelsCommandTest.run(null, "verify", "clip", "--device", "cuda", "--model-dir", models.toString(),
        "--model-cache", tmp.resolve("c").toString());

    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("--device cuda was asked for, but this build of ONNX Runtime has no CUDA provider"),
        r.out());
    assertTrue(r.out().contains("./mvnw -Pgpu package"), r.out());
  }
}
