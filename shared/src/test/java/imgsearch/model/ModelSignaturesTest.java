package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.model.ModelSignatures.ImageBinding;
import imgsearch.model.ModelSignatures.TextBinding;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.testing.deep.OnnxWriter;
import imgsearch.testing.deep.TinyModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSignaturesTest {

  private static final Path FILE = Path.of("models/vision.onnx");

  private static OnnxGraph graph(byte[] model) throws IOException {
    return OnnxGraph.read(new ByteArrayInputStream(model));
  }

  @Test
  void tinyStandInsBindLikeTheRealExports() throws IOException {
    ImageBinding clip = ModelSignatures.bindImage(ModelCatalog.clipVitB32(), graph(TinyModels.clipVision()), FILE);
    assertEquals(new ImageBinding("pixel_values", "image_embeds", false, 0), clip);

    TextBinding text = ModelSignatures.bindText(ModelCatalog.clipVitB32(), graph(TinyModels.clipText()), FILE);
    assertEquals(new TextBinding("input_ids", "attention_mask", "text_embeds"), text);

    ImageBinding resnet = ModelSignatures.bindImage(ModelCatalog.resnet50v1(), graph(TinyModels.resnet50()), FILE);
    assertEquals(new ImageBinding("data", "resnetv17_pool1_fwd", true, 0), resnet);
  }

  @Test
  void theWrongFileIsRejectedWithBothSignatures() throws IOException {
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(ModelCatalog.clipVitB32(), graph(TinyModels.clipText()), FILE));
    assertEquals(Reason.SIGNATURE, e.reason());
    String m = e.getMessage();
    assertTrue(m.contains("models/vision.onnx is not the image encoder"), m);
    assertTrue(m.contains("(pixel_values float[N,3,224,224]) -> (image_embeds float[N,512])"), m);
    assertTrue(m.contains("(input_ids int64[?,?], attention_mask int64[?,?]) -> (text_embeds float[?,512])"), m);
    assertTrue(m.contains("--model-dir"), m);

    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindText(ModelCatalog.clipVitB32(), graph(TinyModels.clipVision()), FILE));
    // The text model has no image input and no GlobalAveragePool.
    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(ModelCatalog.resnet50v1(), graph(TinyModels.clipText()), FILE));
  }

  @Test
  void otherNamesAreAcceptedWhenShapesLeaveNoDoubt() throws IOException {
    byte[] renamed = new OnnxWriter()
        .input("image", OnnxWriter.FLOAT, 1, 3, 224, 224)
        .weights("w", new float[3 * 512], 3, 512)
        .node("GlobalAveragePool", List.of("image"), List.of("p"))
        .node("Flatten", List.of("p"), List.of("f"))
        .node("MatMul", List.of("f", "w"), List.of("embedding"))
        .output("embedding", OnnxWriter.FLOAT, 1, 512)
        .toBytes();
    ImageBinding b = ModelSignatures.bindImage(ModelCatalog.clipVitB32(), graph(renamed), FILE);
    assertEquals(new ImageBinding("image", "embedding", false, 1), b, "a batch axis fixed at 1 limits batches to 1");
  }

  @Test
  void wrongSizesAndTypesAreRejected() throws IOException {
    byte[] smallInput = new OnnxWriter()
        .input("pixel_values", OnnxWriter.FLOAT, "N", 3, 256, 256)
        .node("Identity", List.of("pixel_values"), List.of("image_embeds"))
        .output("image_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(ModelCatalog.clipVitB32(), graph(smallInput), FILE));
    byte[] wrongDimension = new OnnxWriter()
        .input("pixel_values", OnnxWriter.FLOAT, "N", 3, 224, 224)
        .node("Identity", List.of("pixel_values"), List.of("image_embeds"))
        .output("image_embeds", OnnxWriter.FLOAT, "N", 768)
        .toBytes();
    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(ModelCatalog.clipVitB32(), graph(wrongDimension), FILE));
    byte[] floatTokens = new OnnxWriter()
        .input("input_ids", OnnxWriter.FLOAT, "N", 77)
        .node("Identity", List.of("input_ids"), List.of("text_embeds"))
        .output("text_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindText(ModelCatalog.clipVitB32(), graph(floatTokens), FILE));
  }
}
