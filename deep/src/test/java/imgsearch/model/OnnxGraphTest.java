package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.deep.OnnxWriter;
import imgsearch.testing.deep.TinyModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphTest {

  @TempDir
  Path dir;

  @Test
  void readsSignatureAndNodesWithoutLoadingWeights() throws IOException {
    OnnxGraph g = OnnxGraph.read(new ByteArrayInputStream(TinyModels.clipVision()));
    assertEquals(List.of("pixel_values"), g.inputs().stream().map(OnnxGraph.Value::name).toList());
    OnnxGraph.Value in = g.inputs().get(0);
    assertEquals(OnnxGraph.FLOAT, in.elementType());
    assertEquals(List.of(-1L, 3L, 224L, 224L), in.dims());
    assertEquals(List.of(-1L, 512L), g.output("image_embeds").orElseThrow().dims());
    assertEquals("pooled", g.lastOutputOf("GlobalAveragePool").orElseThrow());
    assertEquals("(pixel_values float[?,3,224,224]) -> (image_embeds float[?,512], last_hidden_state float[?,3,1,1])",
        g.describeSignature());
  }

  @Test
  void initializersListedAsInputsAreNotInputs() throws IOException {
    byte[] oldStyle = new OnnxWriter()
        .input("x", OnnxWriter.FLOAT, "N", 2)
        .input("w", OnnxWriter.FLOAT, 2, 2)
        .weights("w", new float[4], 2, 2)
        .node("MatMul", List.of("x", "w"), List.of("y"))
        .output("y", OnnxWriter.FLOAT, "N", 2)
        .toBytes();
    OnnxGraph g = OnnxGraph.read(new ByteArrayInputStream(oldStyle));
    assertEquals(List.of("x"), g.inputs().stream().map(OnnxGraph.Value::name).toList());
  }

  @Test
  void aCutFileIsAnError() {
    byte[] model = TinyModels.resnet50();
    byte[] cut = Arrays.copyOf(model, model.length / 2);
    assertThrows(IOException.class, () -> OnnxGraph.read(new ByteArrayInputStream(cut)));
    assertThrows(IOException.class, () -> OnnxGraph.read(new ByteArrayInputStream("not a model".getBytes())));
  }

  @Test
  void exposedPoolOutputRunsInOnnxRuntime() throws IOException {
    DjlEnvironment.prepare(dir.resolve("cache"));
    Path source = Files.write(dir.resolve("resnet.onnx"), TinyModels.resnet50());
    Path derived = dir.resolve("derived/resnet-features.onnx");
    OnnxFeatureExport.exposeOutput(source, "resnetv17_pool1_fwd", derived);

    OnnxGraph g = OnnxGraph.read(derived);
    assertEquals(List.of("resnetv17_dense0_fwd", "resnetv17_pool1_fwd"),
        g.outputs().stream().map(OnnxGraph.Value::name).toList());
    assertEquals(Files.size(source) + OnnxFeatureExport.extraOutput("resnetv17_pool1_fwd").length, Files.size(derived));

    // A uniform input (0.5, -1, 2) per channel: each pooled feature k is sum_c conv[k][c] * value_c.
    float[] values = {0.5f, -1f, 2f};
    float[] input = new float[3 * 224 * 224];
    for (int c = 0; c < 3; c++) {
      Arrays.fill(input, c * 224 * 224, (c + 1) * 224 * 224, values[c]);
    }
    try (OnnxModel model = OnnxModel.load(derived, "resnetv17_pool1_fwd", "test")) {
      OnnxModel.Output out = model.run(List.of(OnnxModel.Tensor.floats("data", input, 1, 3, 224, 224)));
      assertArrayEquals(new long[] {1, 2048, 1, 1}, out.shape());
      for (int k : new int[] {0, 1, 777, 2047}) {
        double expected = 0;
        for (int c = 0; c < 3; c++) {
          expected += Math.sin(0.37 * k + 1.3 * c + 0.5) * values[c];
        }
        // ONNX Runtime sums the 224 x 224 values in float: allow for its rounding.
        assertEquals(expected, out.data()[k], 2e-3, "feature " + k);
      }
      assertTrue(model.device().startsWith("cpu"));
    }
  }
}
