package imgsearch.descriptor;

import imgsearch.descriptor.EdgeColourDescriptor.Tuning;
import imgsearch.descriptor.EdgeColourDescriptor.Weights;
import imgsearch.eval.NearDuplicateScores;
import imgsearch.eval.PhotoEdit;
import imgsearch.eval.PhotoNearDuplicateSet;
import imgsearch.eval.PhotoNearDuplicateSet.Item;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Not a test: how edge-colour's choices were made, on the TUNE part of a {@link PhotoNearDuplicateSet}
 * only (its held-out queries are never loaded). Exact dot-product ranking in memory, on copies of the
 * images at most 512 px on their longer side. Run with the set's folder as argument, e.g.
 *
 * <pre>java -cp bench/target/test-classes:bench/target/classes:$(cat cp.txt) imgsearch.descriptor.EdgeColourTuning DIR</pre>
 *
 * <p>with cp.txt from {@code ./mvnw -pl bench -am dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt}.
 */
public final class EdgeColourTuning {

  public static void main(String[] args) throws Exception {
    PhotoNearDuplicateSet set = PhotoNearDuplicateSet.load(Path.of(args[0]));
    List<Item> db = set.database();
    List<Item> queries = set.queries().stream().filter(q -> q.part().equals(PhotoNearDuplicateSet.TUNE)).toList();
    ImageDecoder decoder = new ImageDecoder();
    BufferedImage[] dbImages = load(set, db, decoder);
    BufferedImage[] queryImages = load(set, queries, decoder);
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < db.size(); i++) {
      position.put(db.get(i).file(), i);
    }
    Map<String, Descriptor> variants = variants(args.length > 1 ? args[1] : "default");
    NearDuplicateScores scores = new NearDuplicateScores();
    scores.orderKinds(Stream.of(PhotoEdit.values()).map(PhotoEdit::id).toList());
    variants.forEach((name, d) -> {
      float[][] dv = describe(d, dbImages);
      float[][] qv = describe(d, queryImages);
      Metric m = d.defaultMetric();
      for (int q = 0; q < queries.size(); q++) {
        int relevant = position.get(queries.get(q).original());
        Metric.Scorer scorer = m.scorer(qv[q]);
        double target = scorer.score(dv[relevant]);
        int rank = 1;
        for (int i = 0; i < dv.length; i++) {
          if (i != relevant) {
            double s = scorer.score(dv[i]);
            if (s == target || m.better(s, target)) {
              rank++;
            }
          }
        }
        scores.add(name, queries.get(q).part(), queries.get(q).edit(), rank);
      }
    });
    System.out.print(scores.toMarkdown());
  }

  static Map<String, Descriptor> variants(String which) {
    Map<String, Descriptor> v = new LinkedHashMap<>();
    Weights w = Weights.TUNED;
    switch (which) {
      case "borders" -> {
        v.put("no trim", new EdgeColourDescriptor(new Tuning(w, false)));
        v.put("trim", new EdgeColourDescriptor(new Tuning(w, true)));
      }
      case "weights" -> {
        for (double[] x : new double[][] {{1, 0.2, 1, 0.3}, {1, 0.2, 0.5, 0.3}, {1, 0.2, 2, 0.3}, {1, 0.5, 1, 0.3},
            {1, 0, 1, 0.3}, {1, 0.2, 1, 0}, {2, 0.2, 1, 0.3}, {1, 0.5, 1, 0.5}}) {
          v.put(java.util.Arrays.toString(x), new EdgeColourDescriptor(new Tuning(new Weights(x[0], x[1], x[2], x[3]), true)));
        }
      }
      default -> v.put("chosen", new EdgeColourDescriptor());
    }
    return v;
  }

  private static float[][] describe(Descriptor d, BufferedImage[] images) {
    float[][] out = new float[images.length][];
    IntStream.range(0, images.length).parallel().forEach(i -> out[i] = d.describe(images[i]));
    return out;
  }

  private static BufferedImage[] load(PhotoNearDuplicateSet set, List<Item> items, ImageDecoder decoder) {
    BufferedImage[] out = new BufferedImage[items.size()];
    IntStream.range(0, items.size()).parallel().forEach(i -> {
      try {
        BufferedImage img = decoder.decode(set.path(items.get(i))).image();
        int w = img.getWidth(), h = img.getHeight(), side = Math.max(w, h);
        out[i] = side <= 512 ? img : ImageScaling.resize(img, Math.max(1, w * 512 / side), Math.max(1, h * 512 / side));
      } catch (Exception e) {
        throw new IllegalStateException(items.get(i).file(), e);
      }
    });
    return out;
  }
}
