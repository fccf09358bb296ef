package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtProvider;
import imgsearch.model.ExecutionProviders.Choice;
import imgsearch.model.ExecutionProviders.Preference;
import imgsearch.testing.deep.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The choice of execution provider. The tests run with the default, CPU-only ONNX Runtime build and no
 * GPU: the decision is checked for both builds, the CPU path runs for real, and the fallback runs for real
 * by telling the chooser that the build offers CUDA (starting CUDA then fails, as on a machine without it).
 */
class ExecutionProvidersTest {

  private static final Set<OrtProvider> CPU_BUILD = EnumSet.of(OrtProvider.CPU);
  private static final Set<OrtProvider> GPU_BUILD = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA,
      OrtProvider.TENSOR_RT);

  @TempDir
  Path dir;

  @Test
  void autoTriesCudaFirstOnlyWhenTheBuildHasIt() {
    assertEquals(List.of(OrtProvider.CUDA, OrtProvider.CPU),
        ExecutionProviders.candidates(Preference.AUTO, GPU_BUILD, "m"));
    assertEquals(List.of(OrtProvider.CPU), ExecutionProviders.candidates(Preference.AUTO, CPU_BUILD, "m"));
    assertEquals("this ONNX Runtime build has no CUDA provider", ExecutionProviders.noCudaNote(Preference.AUTO,
        CPU_BUILD));
    assertNull(ExecutionProviders.noCudaNote(Preference.AUTO, GPU_BUILD));
  }

  @Test
  void cpuIsNeverCuda() {
    assertEquals(List.of(OrtProvider.CPU), ExecutionProviders.candidates(Preference.CPU, GPU_BUILD, "m"));
    assertEquals("--device cpu", ExecutionProviders.noCudaNote(Preference.CPU, GPU_BUILD));
  }

  @Test
  void cudaIsRequiredWhenAskedFor() {
    assertEquals(List.of(OrtProvider.CUDA), ExecutionProviders.candidates(Preference.CUDA, GPU_BUILD, "m"));
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> ExecutionProviders.candidates(Preference.CUDA, CPU_BUILD, "clip-vit-b32"));
    assertTrue(e.getMessage().contains("this build of ONNX Runtime has no CUDA provider (it offers CPUExecutionProvider)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("./mvnw -Pgpu package"), e.getMessage());
    assertFalse(e.getMessage().contains("--model-dir"), "the files are not the problem: " + e.getMessage());
  }

  @Test
  void preferencesParseCaseInsensitively() {
    assertEquals(Preference.CUDA, Preference.parse(" CUDA "));
    assertEquals(Preference.AUTO, Preference.parse("auto"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preference.parse("gpu"));
    assertTrue(e.getMessage().contains("use auto, cpu or cuda"), e.getMessage());
  }

  @Test
  void choicesDescribeThemselves() {
    assertEquals("CUDA (GPU 0)", new Choice(OrtProvider.CUDA, null).describe());
    assertEquals("CPU (this ONNX Runtime build has no CUDA provider)",
        new Choice(OrtProvider.CPU, "this ONNX Runtime build has no CUDA provider").describe());
    assertTrue(new Choice(OrtProvider.CUDA, null).isGpu());
    assertFalse(new Choice(OrtProvider.CPU, null).isGpu());
  }

  /** The build these tests run with is the default one: CPU only. A model loads and says so. */
  @Test
  void theDefaultBuildRunsOnTheCpuAndSaysWhy() throws IOException {
    DjlEnvironment.prepare(dir.resolve("cache"));
    Path file = Files.write(dir.resolve("vision.onnx"), TinyModels.clipVision());
    Set<OrtProvider> available = ExecutionProviders.offered();
    assertTrue(available.contains(OrtProvider.CPU), available.toString());

    try (OnnxModel model = OnnxModel.load(file, "image_embeds", "test", new ExecutionProviders(Preference.AUTO))) {
      if (!available.contains(OrtProvider.CUDA)) {
        assertEquals(new Choice(OrtProvider.CPU, "this ONNX Runtime build has no CUDA provider"), model.provider());
        assertEquals("cpu()", model.device());
      }
      assertEquals(Set.of("pixel_values"), model.inputNames(), "ONNX Runtime's session metadata");
    }
    try (OnnxModel model = OnnxModel.load(file, "image_embeds", "test", new ExecutionProviders(Preference.CPU))) {
      assertEquals(new Choice(OrtProvider.CPU, "--device cpu"), model.provider());
    }
    if (!available.contains(OrtProvider.CUDA)) {
      ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
          () -> OnnxModel.load(file, "image_embeds", "test", new ExecutionProviders(Preference.CUDA)));
      assertTrue(e.getMessage().contains("--device cuda was asked for"), e.getMessage());
    }
  }

  @Test
  void whenCudaCannotStartTheModelRunsOnTheCpuAndLaterModelsDoNotTryAgain() throws IOException {
    DjlEnvironment.prepare(dir.resolve("cache"));
    Path file = Files.write(dir.resolve("vision.onnx"), TinyModels.clipVision());
    ExecutionProviders providers = new ExecutionProviders(Preference.AUTO, GPU_BUILD);
    assertEquals(List.of(OrtProvider.CUDA, OrtProvider.CPU), providers.candidates("test"));

    try (OnnxModel model = OnnxModel.load(file, "image_embeds", "test", providers)) {
      assertEquals(OrtProvider.CPU, model.provider().provider());
      assertTrue(model.provider().note().startsWith("CUDA is in this build but could not start: "),
          model.provider().note());
      float[] input = new float[3 * 224 * 224];
      assertEquals(512, model.run(List.of(OnnxModel.Tensor.floats("pixel_values", input, 1, 3, 224, 224))).data()
          .length, "it runs");
    }
    assertEquals(List.of(OrtProvider.CPU), providers.candidates("next"), "no second attempt");
    assertTrue(providers.cpuNote().startsWith("CUDA is in this build but could not start: "));

    ExecutionProviders required = new ExecutionProviders(Preference.CUDA, GPU_BUILD);
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> OnnxModel.load(file, "image_embeds", "test", required));
    assertEquals(ModelUnavailableException.Reason.EXECUTION_PROVIDER, e.reason());
    assertTrue(e.getMessage().contains("ONNX Runtime cannot run " + file + " with CUDA"), e.getMessage());
    assertTrue(e.getMessage().contains("or use --device auto to fall back to the CPU"), e.getMessage());
  }
}
