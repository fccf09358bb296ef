package imgsearch.solr.it;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.SearchHit;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Generated test data: folders of images for the indexer, and clustered vectors written straight to an index. */
final class TestCollections {
  private TestCollections() {}

  /**
   * Writes {@code train/cK/} and {@code test/cK/} folders of small photo-like JPEGs, every image
   * different; the same arguments always give the same files.
   */
  static Path images(Path root, int classes, int trainPerClass, int testPerClass) throws IOException {
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < trainPerClass + testPerClass; i++) {
        String split = i < trainPerClass ? "train" : "test";
        writeImage(root.resolve(split).resolve("c" + c), "img" + i + ".jpg", 1000L * c + i);
      }
    }
    return root;
  }

  /** Writes (or overwrites) one generated JPEG. */
  static void writeImage(Path dir, String name, long seed) throws IOException {
    Files.createDirectories(dir);
    TestImages.write(dir, name, TestImages.jpeg(TestImages.photoLike(seed, 64, 48), 0.9f));
  }

  /** A descriptor spec for synthetic vectors (no Descriptor behind it: vectors are written directly). */
  static DescriptorSpec spec(String name, int dimension, Metric... metrics) {
    return new DescriptorSpec(name, 1, "synthetic", dimension, List.of(metrics));
  }

  /**
   * Non-negative vectors around {@code clusters} random centres (histogram-like, so chi-squared applies),
   * the way real descriptors cluster; random Gaussian vectors would be a worst case for HNSW.
   */
  static List<float[]> clustered(long seed, int count, int dimension, int clusters) {
    Random random = new Random(seed);
    float[][] centres = new float[clusters][dimension];
    for (float[] c : centres) {
      for (int j = 0; j < dimension; j++) {
        c[j] = random.nextFloat();
      }
    }
    List<float[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] c = centres[random.nextInt(clusters)];
      float[] v = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        v[j] = Math.max(0f, c[j] + (float) (random.nextGaussian() * 0.08));
      }
      out.add(v);
    }
    return out;
  }

  /** Writes vector {@code i} of each list as image {@code v<i>}; even ones are train, odd ones test; 5 classes. */
  static void writeVectors(ImageIndex index, Map<String, List<float[]>> vectorsByDescriptor, int count)
      throws IOException {
    Map<String, DescriptorSpec> specs = index.descriptors();
    for (int i = 0; i < count; i++) {
      String split = i % 2 == 0 ? "train" : "test";
      String label = "c" + (i % 5);
      Set<String> keys = new HashSet<>();
      Map<String, float[]> vectors = new HashMap<>();
      for (Map.Entry<String, List<float[]>> e : vectorsByDescriptor.entrySet()) {
        vectors.put(e.getKey(), e.getValue().get(i));
        keys.add(specs.get(e.getKey()).key());
      }
      index.upsert(new ImageRecord("v" + i, "/synthetic/" + split + "/" + label + "/v" + i + ".jpg", "hash" + i,
          1000 + i, 64, 48, split, label, null, keys), vectors);
    }
  }

  static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(h -> h.image().id()).toList();
  }

  /** Share of {@code expected}'s ids that {@code actual} also found. */
  static double recall(List<SearchHit> expected, List<SearchHit> actual) {
    if (expected.isEmpty()) {
      return 1;
    }
    Set<String> found = new HashSet<>(ids(actual));
    return ids(expected).stream().filter(found::contains).count() / (double) expected.size();
  }
}
