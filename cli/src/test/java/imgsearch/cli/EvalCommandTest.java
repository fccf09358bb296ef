package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.index.ImageRecord;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imgsearch eval} when it cannot measure anything: one line, exit code 1, no report written. */
class EvalCommandTest {

  @TempDir Path tmp;

  @Test
  void anIndexWithoutATrainTestSplitIsOneLine() throws IOException {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 3; i++) {
      TestImages.write(photos, "p" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(i, 48, 32), 0.9f));
    }
    Path index = tmp.resolve("index");
    assertEquals(0, CliRun.of("index", photos.toString(), "--index", index.toString(), "--descriptors", "hsv-hist")
        .exit());
    CliRun r = CliRun.of("eval", "--index", index.toString());
    assertEquals(1, r.exit(), r.all());
    assertEquals(List.of("imgsearch eval: this index has no train/test split: index a folder with train/<class>/"
        + " and test/<class>/"), r.complaints(), r.all());
    assertFalse(Files.exists(index.resolve("eval")), "no report");
  }

  @Test
  void whenNoTestImageHasTheDescriptorsVectorsNothingIsRankedAndTheRunFails() throws IOException {
    Path index = indexWhoseTestImagesLackEdgeColour();
    CliRun r = CliRun.of("eval", "--index", index.toString(), "--descriptors", "edge-colour");
    assertEquals(1, r.exit(), r.all());
    assertEquals(1, r.complaints().size(), r.all());
    String line = r.complaints().get(0);
    assertTrue(line.startsWith("imgsearch eval: none of the 4 test images has a vector of edge-colour"), line);
    assertTrue(line.contains("--descriptors edge-colour"), line);
    assertEquals("", r.out());
    assertFalse(Files.exists(index.resolve("eval")), "no report of empty numbers");
  }

  @Test
  void aDescriptorWithoutTestVectorsIsNamedOnceAndTheOthersAreStillMeasured() throws IOException {
    Path index = indexWhoseTestImagesLackEdgeColour();
    CliRun r = CliRun.of("eval", "--index", index.toString());
    assertEquals(0, r.exit(), r.all());
    assertEquals(List.of("imgsearch eval: no test image has a vector of edge-colour; its rows in the report are"
        + " empty (index the collection again with --descriptors edge-colour)"), r.complaints(), r.all());
    assertTrue(Files.isRegularFile(index.resolve("eval/report.json")));
  }

  @Test
  void helpStatesTheExitCodes() {
    CliRun r = CliRun.of("eval", "--help");
    assertTrue(r.out().contains("Exit codes:") && r.out().contains("no test image could be ranked"), r.out());
  }

  /**
   * Two classes, six train and four test images, all with hsv-hist vectors; edge-colour vectors only on
   * the train images (as when test/ was indexed before edge-colour was asked for).
   */
  private Path indexWhoseTestImagesLackEdgeColour() throws IOException {
    Path dir = tmp.resolve("partial-index");
    DescriptorSpec hsv = ClassicDescriptors.registry().create("hsv-hist").spec();
    DescriptorSpec edge = ClassicDescriptors.registry().create("edge-colour").spec();
    Random random = new Random(7);
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      index.registerDescriptor(hsv);
      index.registerDescriptor(edge);
      int n = 0;
      for (String split : List.of("train", "train", "train", "test", "test")) {
        for (String label : List.of("red", "blue")) {
          String id = "image" + n++;
          Map<String, float[]> vectors = new HashMap<>();
          Set<String> keys = new HashSet<>();
          vectors.put(hsv.name(), positive(random, hsv.dimension()));
          keys.add(hsv.key());
          if (split.equals("train")) {
            vectors.put(edge.name(), positive(random, edge.dimension()));
            keys.add(edge.key());
          }
          index.upsert(new ImageRecord(id, tmp.resolve(split).resolve(label).resolve(id + ".jpg").toString(),
              "hash" + id, 100, 64, 48, split, label, null, keys), vectors);
        }
      }
      index.commit();
    }
    return dir;
  }

  private static float[] positive(Random random, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = 0.01f + random.nextFloat();
    }
    return v;
  }
}
