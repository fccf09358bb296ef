package imgsearch.eval;

import imgsearch.descriptor.Metric;
import java.util.Map;
import java.util.Random;

/** Small train/test indexes whose evaluation results are known. */
final class TestIndexes {

  static final int TRAIN_PER_CLASS = 6;
  static final int TEST_PER_CLASS = 3;

  private TestIndexes() {}

  /**
   * Two classes, cat and dog. Descriptor {@code good} (metrics l2 and cosine) puts cats near (1, 0) and
   * dogs near (0, 1), so it separates them perfectly; descriptor {@code random} (l1) is seeded noise.
   */
  static InMemoryImageIndex separable() {
    InMemoryImageIndex index = new InMemoryImageIndex()
        .descriptor("good", 2, Metric.L2, Metric.COSINE)
        .descriptor("random", 8, Metric.L1);
    Random random = new Random(42);
    for (String label : new String[] {"cat", "dog"}) {
      for (String split : new String[] {"train", "test"}) {
        int n = split.equals("train") ? TRAIN_PER_CLASS : TEST_PER_CLASS;
        for (int i = 0; i < n; i++) {
          float a = 1 + 0.1f * (float) random.nextGaussian();
          float b = 0.1f * (float) random.nextGaussian();
          float[] good = label.equals("cat") ? new float[] {a, b} : new float[] {b, a};
          float[] noise = new float[8];
          for (int d = 0; d < noise.length; d++) {
            noise[d] = (float) random.nextGaussian();
          }
          index.image(label + "-" + split + "-" + i, split, label, Map.of("good", good, "random", noise));
        }
      }
    }
    return index;
  }

  /**
   * One-dimensional vectors ranked by L1 distance, small enough to rank by hand: train cats at 0 and 1
   * plus one cat without a vector, train dogs at 2 and 3; test cat at 1.6, test dog at 2.6.
   */
  static InMemoryImageIndex line() {
    return new InMemoryImageIndex()
        .descriptor("line", 1, Metric.L1)
        .image("cat0", "train", "cat", Map.of("line", new float[] {0}))
        .image("cat1", "train", "cat", Map.of("line", new float[] {1}))
        .image("cat-unvectored", "train", "cat", Map.of())
        .image("dog2", "train", "dog", Map.of("line", new float[] {2}))
        .image("dog3", "train", "dog", Map.of("line", new float[] {3}))
        .image("cat-query", "test", "cat", Map.of("line", new float[] {1.6f}))
        .image("dog-query", "test", "dog", Map.of("line", new float[] {2.6f}));
  }
}
