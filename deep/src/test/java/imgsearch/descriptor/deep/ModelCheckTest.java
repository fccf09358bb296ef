package imgsearch.descriptor.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.deep.ModelCheck.Report;
import imgsearch.descriptor.deep.ModelCheck.Similarity;
import imgsearch.model.ModelCatalog;
import imgsearch.model.ModelOptions;
import imgsearch.testing.deep.OnnxWriter;
import imgsearch.testing.deep.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckTest {

  @TempDir
  Path dir;

  private Report check(Map<String, byte[]> files, String model, boolean withText) throws IOException {
    Path models = TinyModels.writeModelDir(Files.createTempDirectory(dir, "models"), files);
    ModelCatalog catalog = ModelCatalog.standard();
    try (DeepModels deep = new DeepModels(catalog, new ModelOptions(dir.resolve("cache"), models, null, null, 0))) {
      return ModelCheck.run(deep, catalog.find(model).orElseThrow(), withText, withText ? null : "not asked");
    }
  }

  @Test
  void clipBindsRunsAndRanksTheDescribingSentenceFirst() throws IOException {
    Report r = check(TinyModels.standardFiles(), "clip-vit-b32", true);

    assertTrue(r.ok(), r.problems().toString());
    assertEquals(512, r.image().dimension());
    assertTrue(r.image().norm() > 0);
    assertFalse(r.image().published(), "the tiny stand-in is not the published file");
    assertTrue(r.image().signature().startsWith("(pixel_values float[?,3,224,224]) -> (image_embeds float[?,512]"),
        r.image().signature());
    assertEquals("pixel_values <- the images (by name); embedding from image_embeds (by name)", r.image().binding());
    assertEquals("CPU", r.image().provider().name());
    assertEquals(8, r.timing().batchSize());
    assertTrue(r.timing().millisPerImage() > 0 && r.timing().images() >= 8, r.timing().toString());
    assertEquals(512, r.text().dimension());
    assertEquals(ModelCheck.SENTENCES.size(), r.ranking().size());
    assertEquals(ModelCheck.DESCRIBING_SENTENCE, r.ranking().get(0).sentence());
    assertTrue(r.ranking().get(0).cosine() > 0.9, r.ranking().toString());
    List<Double> cosines = r.ranking().stream().map(Similarity::cosine).toList();
    for (int i = 1; i < cosines.size(); i++) {
      assertTrue(cosines.get(i) <= cosines.get(i - 1), "best first: " + cosines);
    }
  }

  @Test
  void exportsWithOtherSignaturesVerifyAndSayHowTheyWereBound() throws IOException {
    Report clip = check(TinyModels.variantFiles(), "clip-vit-b32", true);
    assertTrue(clip.ok(), clip.problems().toString());
    assertTrue(clip.image().binding().contains("image <- the images (by position and shape)"), clip.image().binding());
    assertTrue(clip.text().binding().contains("position_ids <- the positions 0..L-1 (by name)"), clip.text().binding());
    assertTrue(clip.text().binding().contains("scale left at its default"), clip.text().binding());

    Report resnet = check(TinyModels.variantFiles(), "resnet50-v1", false);
    assertTrue(resnet.ok(), resnet.problems().toString());
    assertEquals(2048, resnet.image().dimension());
    assertEquals(1, resnet.timing().batchSize());
    assertTrue(resnet.image().binding().endsWith("one image per call: it declares resnetv17_pool1_fwd with batch"
        + " size 1"), resnet.image().binding());
    assertNull(resnet.text());
    assertTrue(resnet.ranking().isEmpty());
  }

  @Test
  void textSkippedWhenNotAskedFor() throws IOException {
    Report r = check(TinyModels.standardFiles(), "clip-vit-b32", false);

    assertTrue(r.ok(), r.problems().toString());
    assertNull(r.text());
    assertEquals("not asked", r.textSkipped());
    assertTrue(r.ranking().isEmpty());
  }

  /** An image encoder whose colours come out inverted puts the red circle nearest the unrelated sentences. */
  @Test
  void encodersThatDisagreeFailTheRankingCheck() throws IOException {
    float[] w = new float[3 * 512];
    for (int c = 0; c < 3; c++) {
      w[c * 512 + c] = -1f;
    }
    byte[] inverted = new OnnxWriter()
        .input("pixel_values", OnnxWriter.FLOAT, "N", 3, 224, 224)
        .weights("w", w, 3, 512)
        .node("GlobalAveragePool", List.of("pixel_values"), List.of("p"))
        .node("Flatten", List.of("p"), List.of("f"), "axis", 1)
        .node("MatMul", List.of("f", "w"), List.of("image_embeds"))
        .output("image_embeds", OnnxWriter.FLOAT, "N", 512)
        .toBytes();
    Map<String, byte[]> files = new HashMap<>(TinyModels.standardFiles());
    files.put("clip-vit-b32/vision.onnx", inverted);

    Report r = check(files, "clip-vit-b32", true);

    assertFalse(r.ok());
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).contains("matches \"" + r.ranking().get(0).sentence() + "\" better than \""
        + ModelCheck.DESCRIBING_SENTENCE + "\""), r.problems().get(0));
  }

  @Test
  void aFileThatIsNotTheEncoderIsAProblemNotACrash() throws IOException {
    Map<String, byte[]> files = new HashMap<>(TinyModels.standardFiles());
    files.put("clip-vit-b32/vision.onnx", TinyModels.clipText());

    Report r = check(files, "clip-vit-b32", true);

    assertFalse(r.ok());
    assertNull(r.image());
    assertTrue(r.problems().get(0).contains("is not the image encoder the catalogue describes"), r.problems().get(0));
  }
}
