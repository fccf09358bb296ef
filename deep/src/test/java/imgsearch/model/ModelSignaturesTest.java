package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.model.ModelSignatures.Feed;
import imgsearch.model.ModelSignatures.ImageBinding;
import imgsearch.model.ModelSignatures.Input;
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
  private static final ModelSpec CLIP = ModelCatalog.clipVitB32();
  private static final ModelSpec RESNET = ModelCatalog.resnet50v1();

  private static OnnxGraph graph(byte[] model) throws IOException {
    return OnnxGraph.read(new ByteArrayInputStream(model));
  }

  @Test
  void tinyStandInsBindByNameLikeTheRealExports() throws IOException {
    ImageBinding clip = ModelSignatures.bindImage(CLIP, graph(TinyModels.clipVision()), FILE);
    assertEquals(new ImageBinding(new Input("pixel_values", Feed.IMAGE, true), "image_embeds", true, false, 0, null,
        List.of()), clip);
    assertEquals("pixel_values <- the images (by name); embedding from image_embeds (by name)", clip.describe());

    TextBinding text = ModelSignatures.bindText(CLIP, graph(TinyModels.clipText()), FILE);
    assertEquals(new TextBinding(List.of(new Input("input_ids", Feed.TOKEN_IDS, true),
        new Input("attention_mask", Feed.ATTENTION_MASK, true)), "text_embeds", true, List.of()), text);

    ImageBinding resnet = ModelSignatures.bindImage(RESNET, graph(TinyModels.resnet50()), FILE);
    assertEquals(new ImageBinding(new Input("data", Feed.IMAGE, true), "resnetv17_pool1_fwd", true, true, 0, null,
        List.of()), resnet);
    assertTrue(resnet.describe().contains("the last GlobalAveragePool, exposed as an extra output"), resnet.describe());
  }

  @Test
  void otherNamesBindByPositionAndShape() throws IOException {
    ImageBinding image = ModelSignatures.bindImage(CLIP, graph(TinyModels.clipVisionRenamed()), FILE);
    // The first output, hidden float[N,3], is not an embedding; the second is.
    assertEquals(new ImageBinding(new Input("image", Feed.IMAGE, false), "embedding", false, false, 0, null,
        List.of()), image);
    assertEquals("image <- the images (by position and shape); embedding from embedding (by position and shape)",
        image.describe());

    TextBinding text = ModelSignatures.bindText(CLIP, graph(TinyModels.clipTextRenamed()), FILE);
    assertEquals(List.of(new Input("tokens", Feed.TOKEN_IDS, false), new Input("attn", Feed.ATTENTION_MASK, false)),
        text.inputs());
    assertEquals("sentence", text.outputName());
    assertEquals("tokens <- the token ids (by position and shape), attn <- the attention mask (by position and shape);"
        + " embedding from sentence (by position and shape)", text.describe());
  }

  @Test
  void extraTextInputsGetWhatTheirNamesAskForOrKeepTheirDefault() throws IOException {
    TextBinding text = ModelSignatures.bindText(CLIP, graph(TinyModels.clipTextWithExtras()), FILE);

    assertEquals(List.of(new Input("input_ids", Feed.TOKEN_IDS, true), new Input("token_type_ids", Feed.ZEROS, true),
        new Input("attention_mask", Feed.ATTENTION_MASK, true), new Input("position_ids", Feed.POSITIONS, true)),
        text.inputs());
    assertEquals(List.of("scale"), text.defaults());
    assertTrue(text.describe().contains("token_type_ids <- zeros (token types) (by name)"), text.describe());
    assertTrue(text.describe().contains("scale left at its default"), text.describe());
  }

  @Test
  void aTextEncoderWithoutAMaskIsFedTheIdsAlone() throws IOException {
    byte[] idsOnly = new OnnxWriter()
        .input("x", OnnxWriter.INT64, "N", 77)
        .weights("table", new float[20 * 512], 20, 512)
        .longs("axis1", new long[] {1}, 1)
        .node("Gather", List.of("table", "x"), List.of("t"))
        .node("ReduceSum", List.of("t", "axis1"), List.of("y"), "keepdims", 0)
        .output("y", OnnxWriter.FLOAT, "N", 512)
        .toBytes();

    TextBinding text = ModelSignatures.bindText(CLIP, graph(idsOnly), FILE);

    assertEquals(List.of(new Input("x", Feed.TOKEN_IDS, false)), text.inputs());
  }

  @Test
  void aGraphThatFixesItsBatchToOneTakesOneImagePerCall() throws IOException {
    ImageBinding annotated = ModelSignatures.bindImage(RESNET, graph(TinyModels.resnet50BatchOne()), FILE);
    assertEquals(1, annotated.maxBatch());
    assertEquals("it declares resnetv17_pool1_fwd with batch size 1", annotated.batchNote());

    byte[] fixedInput = new OnnxWriter()
        .input("image", OnnxWriter.FLOAT, 1, 3, 224, 224)
        .weights("w", new float[3 * 512], 3, 512)
        .node("GlobalAveragePool", List.of("image"), List.of("p"))
        .node("Flatten", List.of("p"), List.of("f"))
        .node("MatMul", List.of("f", "w"), List.of("embedding"))
        .output("embedding", OnnxWriter.FLOAT, 1, 512)
        .toBytes();
    ImageBinding fixed = ModelSignatures.bindImage(CLIP, graph(fixedInput), FILE);
    assertEquals(1, fixed.maxBatch());
    assertEquals("its input image has batch size 1", fixed.batchNote());
    assertTrue(fixed.describe().endsWith("; one image per call: its input image has batch size 1"), fixed.describe());
  }

  @Test
  void batchOneAnnotationsOnMostTensorsLimitBatchesButABroadcastConstantDoesNot() throws IOException {
    OnnxWriter base = clipLike();
    OnnxGraph mostlyOne = graph(clipLike()
        .valueInfo("pooled", OnnxWriter.FLOAT, 1, 3, 1, 1)
        .valueInfo("flat", OnnxWriter.FLOAT, 1, 3)
        .valueInfo("positions", OnnxWriter.FLOAT, 1, 50, 8)
        .toBytes());
    ImageBinding limited = ModelSignatures.bindImage(CLIP, mostlyOne, FILE);
    assertEquals(1, limited.maxBatch());
    assertEquals("it annotates 3 of its 3 intermediate tensors with batch size 1", limited.batchNote());

    OnnxGraph broadcast = graph(base
        .valueInfo("pooled", OnnxWriter.FLOAT, "batch", 3, 1, 1)
        .valueInfo("flat", OnnxWriter.FLOAT, "batch", 3)
        .valueInfo("positions", OnnxWriter.FLOAT, 1, 50, 8) // e.g. position embeddings, broadcast over the batch
        .toBytes());
    ImageBinding free = ModelSignatures.bindImage(CLIP, broadcast, FILE);
    assertEquals(0, free.maxBatch());
    assertNull(free.batchNote());
  }

  @Test
  void anEmbeddingThatDeclaresItsSizeWinsOverOneLeftOpen() throws IOException {
    byte[] twoCandidates = new OnnxWriter()
        .input("image", OnnxWriter.FLOAT, "N", 3, 224, 224)
        .node("GlobalAveragePool", List.of("image"), List.of("p"))
        .node("Flatten", List.of("p"), List.of("open"))
        .node("Identity", List.of("open"), List.of("sized"))
        .output("open", OnnxWriter.FLOAT, "N", "D")
        .output("sized", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    assertEquals("sized", ModelSignatures.bindImage(CLIP, graph(twoCandidates), FILE).outputName());
  }

  @Test
  void theWrongFileIsRejectedWithBothSignatures() throws IOException {
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(CLIP, graph(TinyModels.clipText()), FILE));
    assertEquals(Reason.SIGNATURE, e.reason());
    String m = e.getMessage();
    assertTrue(m.contains("models/vision.onnx is not the image encoder the catalogue describes"), m);
    assertTrue(m.contains("expected (pixel_values float[N,3,224,224]) -> (image_embeds float[N,512])"), m);
    assertTrue(m.contains("found (input_ids int64[?,?], attention_mask int64[?,?]) -> (text_embeds float[?,512])"), m);
    assertTrue(m.contains("--model-dir"), m);

    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindText(CLIP, graph(TinyModels.clipVision()), FILE));
    // The text model has no image input and no GlobalAveragePool.
    assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(RESNET, graph(TinyModels.clipText()), FILE));
  }

  @Test
  void anInputNothingCanFeedIsNamedInTheError() throws IOException {
    byte[] imageAndSize = clipLike().input("original_size", OnnxWriter.INT64, "N", 2).toBytes();
    ModelUnavailableException image = assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(CLIP, graph(imageAndSize), FILE));
    assertTrue(image.getMessage().contains("input original_size int64[?,2] has no default and imgsearch has nothing"
        + " to feed it"), image.getMessage());

    byte[] threeTokenInputs = new OnnxWriter()
        .input("input_ids", OnnxWriter.INT64, "N", 77)
        .input("attention_mask", OnnxWriter.INT64, "N", 77)
        .input("language", OnnxWriter.INT64, "N", 77)
        .node("Cast", List.of("input_ids"), List.of("text_embeds"), "to", OnnxWriter.FLOAT)
        .output("text_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    ModelUnavailableException text = assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindText(CLIP, graph(threeTokenInputs), FILE));
    assertTrue(text.getMessage().contains("input language int64[?,77] has no default"), text.getMessage());
  }

  @Test
  void wrongSizesAndTypesAreRejected() throws IOException {
    byte[] smallInput = new OnnxWriter()
        .input("pixel_values", OnnxWriter.FLOAT, "N", 3, 256, 256)
        .node("Identity", List.of("pixel_values"), List.of("image_embeds"))
        .output("image_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> ModelSignatures.bindImage(CLIP, graph(smallInput), FILE));
    assertTrue(e.getMessage().contains("input pixel_values float[?,3,256,256] cannot take 224x224 RGB images"),
        e.getMessage());
    byte[] wrongDimension = new OnnxWriter()
        .input("pixel_values", OnnxWriter.FLOAT, "N", 3, 224, 224)
        .node("Identity", List.of("pixel_values"), List.of("image_embeds"))
        .output("image_embeds", OnnxWriter.FLOAT, "N", 768)
        .toBytes();
    e = assertThrows(ModelUnavailableException.class, () -> ModelSignatures.bindImage(CLIP, graph(wrongDimension), FILE));
    assertTrue(e.getMessage().contains("output image_embeds float[?,768] is not float [N,512]"), e.getMessage());
    byte[] floatTokens = new OnnxWriter()
        .input("input_ids", OnnxWriter.FLOAT, "N", 77)
        .node("Identity", List.of("input_ids"), List.of("text_embeds"))
        .output("text_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    assertThrows(ModelUnavailableException.class, () -> ModelSignatures.bindText(CLIP, graph(floatTokens), FILE));
    byte[] shortContext = new OnnxWriter()
        .input("input_ids", OnnxWriter.INT64, "N", 64)
        .node("Cast", List.of("input_ids"), List.of("text_embeds"), "to", OnnxWriter.FLOAT)
        .output("text_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    assertThrows(ModelUnavailableException.class, () -> ModelSignatures.bindText(CLIP, graph(shortContext), FILE));
  }

  /** A CLIP-like image encoder under other names, with tensors pooled, flat and positions. */
  private static OnnxWriter clipLike() {
    return new OnnxWriter()
        .input("image", OnnxWriter.FLOAT, "batch", 3, 224, 224)
        .weights("w", new float[3 * 512], 3, 512)
        .node("GlobalAveragePool", List.of("image"), List.of("pooled"))
        .node("Flatten", List.of("pooled"), List.of("flat"))
        .node("MatMul", List.of("flat", "w"), List.of("embedding"))
        .output("embedding", OnnxWriter.FLOAT, "batch", 512);
  }
}
