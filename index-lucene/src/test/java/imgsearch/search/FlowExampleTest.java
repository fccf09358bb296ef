package imgsearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageIndex;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.Indexer;
import imgsearch.index.SearchHit;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example of the package documentation (in the shared module), and checks the documentation still
 * shows this very code. Here because the example opens a Lucene index.
 */
class FlowExampleTest {

  @TempDir Path tmp;

  @Test
  void theExampleIndexesAFolderAndFindsAPhotoByItself() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 6; i++) {
      Files.write(photos.resolve("photo-" + i + ".jpg"), TestImages.jpeg(TestImages.photoLike(i, 160, 120), 0.9f));
    }
    Path indexDir = tmp.resolve("index");
    Path photo = photos.resolve("photo-3.jpg");

    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      example(indexDir, photos, photo);
    } finally {
      System.setOut(stdout);
    }

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("6 indexed, 0 failed", lines.get(0));
    assertEquals(1 + 5, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).endsWith(photo.toString()), "the photo itself comes first: " + lines);
  }

  @Test
  void thePackageDocumentationShowsTheCodeThatRuns() throws IOException {
    List<String> documented = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(Path.of("../shared/src/main/java/imgsearch/search/package-info.java"))) {
      String text = line.replaceFirst("^ \\* ?", "");
      if (text.startsWith("{@snippet")) {
        in = true;
      } else if (in && text.startsWith("<p>")) {
        break; // the paragraph after the snippet
      } else if (in) {
        documented.add(text);
      }
    }
    while (documented.getLast().isEmpty()) {
      documented.removeLast();
    }
    documented.removeLast(); // the snippet's own closing brace
    List<String> tested = new ArrayList<>();
    in = false;
    for (String line : Files.readAllLines(Path.of("src/test/java/imgsearch/search/FlowExampleTest.java"))) {
      if (line.contains("@start region=\"flow\"")) {
        in = true;
      } else if (in && line.contains("// @end")) {
        break;
      } else if (in) {
        tested.add(line.length() > 4 ? line.substring(4) : line.strip());
      }
    }
    assertEquals(tested, documented);
  }

  private static void example(Path indexDir, Path photos, Path photo) throws IOException, ImageDecodeException {
    // @start region="flow"
    try (ImageIndex index = LuceneImageIndex.open(indexDir)) {
      DescriptorRegistry registry = ClassicDescriptors.registry();
      List<Descriptor> descriptors = ClassicDescriptors.defaults().stream().map(registry::create).toList();
      IndexSummary summary = new Indexer(index, new ImageDecoder(), descriptors, 2).index(photos, IndexListener.NONE);
      System.out.println(summary.indexed() + " indexed, " + summary.failed().size() + " failed");

      ImageSearcher searcher = new ImageSearcher(index, registry);
      SearchOptions options = SearchOptions.defaults().withK(5);
      // Decoded at the size the index's photos were decoded at, so a file of the collection finds itself.
      BufferedImage query = new ImageDecoder().decode(photo, searcher.inputSide()).image();
      for (SearchHit hit : searcher.byImage(query, options).hits()) {
        System.out.println(hit.score() + " " + hit.image().path());
      }
    }
    // @end
  }
}
