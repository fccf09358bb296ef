package imgsearch.descriptor.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.image.ImageDecoder;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.Indexer;
import imgsearch.index.SearchHit;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.model.ModelOptions;
import imgsearch.model.ModelUnavailableException;
import imgsearch.search.ImageSearcher;
import imgsearch.search.SearchOptions;
import imgsearch.search.SearchResults;
import imgsearch.testing.TestImages;
import imgsearch.testing.deep.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole deep path with the tiny stand-in models loaded through {@code --model-dir}: index a folder
 * with clip, resnet50 and a classic descriptor in the Lucene index, then search by image and by words.
 */
class DeepSearchEndToEndTest {

  @TempDir
  static Path tmp;

  static Path index;
  static DeepModels models;
  static DescriptorRegistry registry;

  static final int[] COLOURS = {0xd03020, 0x2050d0, 0x30a040};
  static final String[] NAMES = {"red", "blue", "green"};

  @BeforeAll
  static void indexFolder() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("photos"));
    for (int c = 0; c < COLOURS.length; c++) {
      for (int i = 0; i < 4; i++) {
        TestImages.write(data, NAMES[c] + i + ".png", TestImages.png(tinted(c * 10L + i, COLOURS[c])));
      }
    }
    registry = ClassicDescriptors.registry();
    models = DeepDescriptors.register(registry,
        ModelOptions.defaults().withCacheDir(tmp.resolve("cache")).withModelDir(TinyModels.writeModelDir(tmp.resolve("models"))));
    List<Descriptor> descriptors = List.of(registry.create("clip"), registry.create("resnet50"),
        registry.create("hsv-hist"));
    index = tmp.resolve("index");
    try (LuceneImageIndex writable = LuceneImageIndex.open(index)) {
      IndexSummary summary = new Indexer(writable, new ImageDecoder(), descriptors, 2).index(data, IndexListener.NONE);
      assertEquals(12, summary.indexed(), summary.toString());
    }
  }

  @AfterAll
  static void closeModels() {
    models.close();
  }

  static BufferedImage tinted(long seed, int rgb) {
    BufferedImage img = TestImages.photoLike(seed, 120, 90);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int r = (((p >> 16) & 255) + 3 * ((rgb >> 16) & 255)) / 4;
        int g = (((p >> 8) & 255) + 3 * ((rgb >> 8) & 255)) / 4;
        int b = ((p & 255) + 3 * (rgb & 255)) / 4;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  static List<String> names(SearchResults results) {
    return results.hits().stream().map(SearchHit::image).map(i -> i.fileName().replaceAll("\\d.*", "")).toList();
  }

  @Test
  void searchesByImageWithEachDeepDescriptor() throws IOException {
    try (LuceneImageIndex readOnly = LuceneImageIndex.openReadOnly(index)) {
      ImageSearcher searcher = new ImageSearcher(readOnly, registry);
      assertEquals("clip", searcher.defaultDescriptor());
      for (String descriptor : List.of("clip", "resnet50")) {
        SearchResults r = searcher.byImage(tinted(99, COLOURS[1]), SearchOptions.defaults().with(descriptor, null)
            .withK(4));
        assertEquals(List.of("blue", "blue", "blue", "blue"), names(r), descriptor);
      }
    }
  }

  @Test
  void searchesByWords() throws IOException {
    try (LuceneImageIndex readOnly = LuceneImageIndex.openReadOnly(index)) {
      ImageSearcher searcher = new ImageSearcher(readOnly, registry);
      assertTrue(searcher.supportsText());

      SearchResults fox = searcher.byText("a red fox in snow", SearchOptions.defaults().withK(4));
      assertEquals("clip", fox.descriptor());
      assertEquals(List.of("red", "red", "red", "red"), names(fox));
      assertEquals(List.of("green", "green", "green", "green"),
          names(searcher.byText("GREEN", SearchOptions.defaults().withK(4))));
    }
  }

  @Test
  void classicSearchStillWorksWhenTheDeepModelsAreGone() throws IOException {
    DescriptorRegistry offline = ClassicDescriptors.registry();
    try (DeepModels none = DeepDescriptors.register(offline, ModelOptions.defaults()
        .withCacheDir(tmp.resolve("cache2")).withModelDir(Files.createDirectories(tmp.resolve("no-models"))));
        LuceneImageIndex readOnly = LuceneImageIndex.openReadOnly(index)) {
      ImageSearcher searcher = new ImageSearcher(readOnly, offline);

      SearchResults hsv = searcher.byImage(tinted(98, COLOURS[0]), SearchOptions.defaults().with("hsv-hist", null)
          .withK(3));
      assertEquals(List.of("red", "red", "red"), names(hsv));
      // The tiny models were indexed under their own checksums; the published ones are not these.
      assertThrows(IllegalArgumentException.class,
          () -> searcher.byImage(tinted(98, COLOURS[0]), SearchOptions.defaults().with("clip", null)));
      assertTrue(none.catalog().find("clip-vit-b32").isPresent());
    }
  }

  @Test
  void aMissingModelIsReportedWhenItIsUsed() throws IOException {
    DescriptorRegistry offline = ClassicDescriptors.registry();
    try (DeepModels none = DeepDescriptors.register(offline, ModelOptions.defaults()
        .withCacheDir(tmp.resolve("cache3")).withModelDir(Files.createDirectories(tmp.resolve("empty"))))) {
      Descriptor clip = offline.create("clip");
      ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
          () -> clip.describeText("a red fox in snow"));
      assertTrue(e.getMessage().contains("--model-dir"), e.getMessage());
    }
  }
}
