package imgsearch.descriptor.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.model.ModelOptions;
import imgsearch.model.ModelUnavailableException;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.testing.deep.ModelHttpServer;
import imgsearch.testing.deep.TinyModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepDescriptorsTest {

  @TempDir
  Path dir;

  private final List<DeepModels> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(DeepModels::close);
  }

  private DescriptorRegistry registryWithModelDir(Path models) {
    DescriptorRegistry registry = new DescriptorRegistry();
    opened.add(DeepDescriptors.register(registry, new ModelOptions(dir.resolve("cache"), models, null, null, 0)));
    return registry;
  }

  private DescriptorRegistry tinyRegistry() throws IOException {
    return registryWithModelDir(TinyModels.writeModelDir(dir.resolve("models")));
  }

  @Test
  void registeringTouchesNoFileAndAMissingModelFailsOnlyWhenUsed() throws IOException {
    DescriptorRegistry registry = registryWithModelDir(Files.createDirectories(dir.resolve("empty")));

    assertEquals(List.of("clip", "resnet50"), registry.names());
    assertTrue(registry.description("clip").contains("text search"), registry.description("clip"));
    DeepDescriptor clip = (DeepDescriptor) registry.create("clip");
    assertEquals("model=clip-vit-b32,sha=c68d3d9a200d", clip.config(), "the published file's checksum");
    assertEquals(Optional.of(clip), registry.forSpec(clip.spec()));

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> clip.describe(solid(8, 8, Color.RED)));
    assertEquals(Reason.MISSING_FILE, e.reason());
    assertTrue(e.getMessage().contains("vision.onnx is not in the model folder"), e.getMessage());
    assertThrows(ModelUnavailableException.class, () -> clip.prepare(false));
  }

  @Test
  void clipEmbedsImagesAsUnitVectorsComparedByDotProduct() throws IOException {
    Descriptor clip = tinyRegistry().create("clip");

    assertEquals("clip", clip.name());
    assertEquals(512, clip.dimension());
    assertEquals(List.of(Metric.DOT), clip.metrics());
    assertTrue(clip.embedsText());
    assertEquals("model=clip-vit-b32,sha=" + TinyModels.sha256(TinyModels.clipVision()).substring(0, 12),
        clip.config());

    float[] red = clip.describe(solid(64, 48, Color.RED));
    float[] expected = new float[512];
    System.arraycopy(TinyModels.clipChannelMeans(255, 0, 0), 0, expected, 0, 3);
    expected[3] = 0.1f;
    assertArrayEquals(unit(expected), red, 2e-4f); // ONNX Runtime pools 224 x 224 values in float
  }

  @Test
  void batchesGiveTheSameVectorsAsSingleImages() throws IOException {
    Descriptor clip = tinyRegistry().create("clip");
    List<BufferedImage> images = new ArrayList<>();
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE, Color.GRAY};
    for (int i = 0; i < 11; i++) { // more than one batch of 8
      images.add(twoTone(40 + 7 * i, 30 + 3 * i, colours[i % colours.length], colours[(i + 2) % colours.length]));
    }

    List<float[]> batch = clip.describeAll(images);

    assertEquals(11, batch.size());
    for (int i = 0; i < images.size(); i++) {
      assertArrayEquals(clip.describe(images.get(i)), batch.get(i), 1e-6f, "image " + i);
    }
    assertEquals(List.of(), clip.describeAll(List.of()));
  }

  @Test
  void textLandsNextToTheImagesItDescribes() throws IOException {
    DeepDescriptor clip = (DeepDescriptor) tinyRegistry().create("clip");
    float[] red = clip.describe(solid(50, 50, Color.RED));
    float[] blue = clip.describe(solid(50, 50, Color.BLUE));

    float[] query = clip.describeText("a red fox in snow");

    assertEquals(1.0, Metric.DOT.score(query, query), 1e-5);
    assertTrue(Metric.DOT.score(query, red) > 0.9, "red: " + Metric.DOT.score(query, red));
    assertTrue(Metric.DOT.score(query, blue) < 0, "blue: " + Metric.DOT.score(query, blue));
    assertTrue(Metric.DOT.score(clip.describeText("BLUE"), blue) > Metric.DOT.score(clip.describeText("BLUE"), red));
  }

  @Test
  void textIsTokenisedWithTheModelsTokenizerIntoItsContext() throws IOException {
    DeepDescriptor clip = (DeepDescriptor) tinyRegistry().create("clip");

    TextTokens tokens = clip.tokens("A red fox in snow");

    long[] ids = new long[77];
    Arrays.fill(ids, TinyModels.PAD);
    long[] start = {TinyModels.START, 2, 3, 6, 7, 8, TinyModels.END}; // <start> a red fox in snow <end>
    System.arraycopy(start, 0, ids, 0, start.length);
    long[] mask = new long[77];
    Arrays.fill(mask, 0, 7, 1);
    assertArrayEquals(ids, tokens.ids());
    assertArrayEquals(mask, tokens.mask());

    TextTokens longText = clip.tokens("red ".repeat(100));
    assertEquals(77, longText.ids().length);
    assertEquals(TinyModels.START, longText.ids()[0]);
    assertEquals(3, longText.ids()[75]);
    assertEquals(TinyModels.END, longText.ids()[76], "a cut text keeps its end-of-text token");
    assertTrue(Arrays.stream(longText.mask()).allMatch(m -> m == 1));
  }

  @Test
  void resnetGivesGlobalAveragePooledFeatures() throws IOException {
    Descriptor resnet = tinyRegistry().create("resnet50");

    assertEquals(2048, resnet.dimension());
    assertFalse(resnet.embedsText());
    assertThrows(UnsupportedOperationException.class, () -> resnet.describeText("red"));
    assertTrue(resnet.config().startsWith("model=resnet50-v1,sha="), resnet.config());
    assertEquals(2, resnet.version(), "v2: the model zoo's validation preprocessing replaced v1's");

    float[] v = resnet.describe(solid(300, 200, Color.RED));

    // ImageNet normalisation of pure red, then the tiny model's 1x1 convolution, pooled.
    double[] channel = {(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0 - 0.406) / 0.225};
    float[] expected = new float[2048];
    for (int k = 0; k < 2048; k++) {
      for (int c = 0; c < 3; c++) {
        expected[k] += (float) (Math.sin(0.37 * k + 1.3 * c + 0.5) * channel[c]);
      }
    }
    assertArrayEquals(unit(expected), v, 1e-3f);
    assertEquals(1.0, Metric.DOT.score(v, v), 1e-5);
  }

  /**
   * Stand-ins whose signatures differ from the catalogue's (other names, bound by position and shape;
   * extra token-type, position and defaulted inputs; batch-1 annotations) give the same vectors as the
   * standard ones: ONNX Runtime gets every input it needs with the right values.
   */
  @Test
  void modelsWithOtherSignaturesGiveTheSameVectors() throws IOException {
    DescriptorRegistry standard = tinyRegistry();
    DescriptorRegistry variants = registryWithModelDir(
        TinyModels.writeModelDir(dir.resolve("variants"), TinyModels.variantFiles()));
    List<BufferedImage> images = List.of(solid(60, 40, Color.RED), twoTone(50, 70, Color.BLUE, Color.YELLOW),
        twoTone(33, 33, Color.GREEN, Color.GRAY));

    for (String name : List.of("clip", "resnet50")) {
      List<float[]> expected = standard.create(name).describeAll(images);
      List<float[]> actual = variants.create(name).describeAll(images);
      for (int i = 0; i < images.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), 1e-5f, name + " image " + i);
      }
    }
    DeepDescriptor clip = (DeepDescriptor) variants.create("clip");
    for (String text : List.of("a red fox in snow", "white", "blue")) {
      assertArrayEquals(((DeepDescriptor) standard.create("clip")).describeText(text), clip.describeText(text), 1e-5f,
          text);
    }
    assertEquals(1, ((DeepDescriptor) variants.create("resnet50")).batchSize(), "batch-1 annotations");
    assertEquals(8, ((DeepDescriptor) standard.create("resnet50")).batchSize());
  }

  @Test
  void storedSpecsFindTheSameDescriptorAndOtherWeightsAreNotCompatible() throws IOException {
    DescriptorRegistry registry = tinyRegistry();
    Descriptor clip = registry.create("clip");

    Optional<Descriptor> again = registry.forSpec(clip.spec());
    assertTrue(again.isPresent());
    assertSame(clip, again.get(), "one descriptor per model file, shared");

    DescriptorSpec otherWeights = new DescriptorSpec("clip", 1, "model=clip-vit-b32,sha=000000000000", 512,
        List.of(Metric.DOT));
    assertEquals(Optional.empty(), registry.forSpec(otherWeights));
    Descriptor resnet = registry.create("resnet50");
    DescriptorSpec olderPreprocessing = new DescriptorSpec("resnet50", 1, resnet.config(), 2048, List.of(Metric.DOT));
    assertFalse(resnet.spec().compatibleWith(olderPreprocessing), "v1 vectors are re-described");

    assertThrows(ModelUnavailableException.class, () -> registry.create("clip", "model=clip-vit-l14"));
    assertThrows(IllegalArgumentException.class, () -> registry.create("clip", "model=resnet50-v1"));
    assertNotSame(clip, registry.create("resnet50"));
  }

  @Test
  void aModelWithTheWrongSignatureFailsWithAClearMessage() throws IOException {
    Path models = TinyModels.writeModelDir(dir.resolve("models"));
    Files.copy(models.resolve("clip-vit-b32/text.onnx"), models.resolve("clip-vit-b32/vision.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Descriptor clip = registryWithModelDir(models).create("clip");

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> clip.describe(solid(10, 10, Color.RED)));

    assertEquals(Reason.SIGNATURE, e.reason());
    assertTrue(e.getMessage().contains("is not the image encoder"), e.getMessage());
  }

  @Test
  void aDamagedModelFileIsALoadFailure() throws IOException {
    Path models = TinyModels.writeModelDir(dir.resolve("models"));
    byte[] whole = TinyModels.resnet50();
    Files.write(models.resolve("resnet50-v1/resnet50-v1-12.onnx"), Arrays.copyOf(whole, whole.length - 100));
    Descriptor resnet = registryWithModelDir(models).create("resnet50");

    ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
        () -> resnet.describe(solid(10, 10, Color.RED)));

    assertEquals(Reason.LOAD, e.reason());
    assertTrue(e.getMessage().contains("may be damaged"), e.getMessage());
  }

  @Test
  void modelsAreDownloadedOnFirstUseTextOnlyWhenTextIsEmbedded() throws IOException {
    try (ModelHttpServer server = new ModelHttpServer().serveAll(TinyModels.standardFiles())) {
      DescriptorRegistry registry = new DescriptorRegistry();
      opened.add(DeepDescriptors.register(registry,
          new ModelOptions(dir.resolve("cache"), null, URI.create(server.baseUrl()), null, 0),
          TinyModels.catalog("https://models.invalid")));
      assertEquals(List.of(), server.requests());

      Descriptor clip = registry.create("clip");
      assertEquals(List.of(), server.requests(), "creating a descriptor downloads nothing");
      clip.describe(solid(20, 20, Color.GREEN));
      assertEquals(List.of("/clip-vit-b32/vision.onnx"),
          server.requests().stream().map(ModelHttpServer.Request::path).toList());

      clip.describeText("green");
      assertEquals(List.of("/clip-vit-b32/vision.onnx", "/clip-vit-b32/text.onnx", "/clip-vit-b32/tokenizer.json"),
          server.requests().stream().map(ModelHttpServer.Request::path).toList());
      assertTrue(Files.isRegularFile(dir.resolve("cache/clip-vit-b32/tokenizer.json")));
    }
  }

  static BufferedImage solid(int w, int h, Color colour) {
    return twoTone(w, h, colour, colour);
  }

  static BufferedImage twoTone(int w, int h, Color left, Color right) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(left);
    g.fillRect(0, 0, w / 2, h);
    g.setColor(right);
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    return image;
  }

  static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(sum));
    }
    return out;
  }
}
