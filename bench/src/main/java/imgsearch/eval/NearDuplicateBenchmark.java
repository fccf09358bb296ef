package imgsearch.eval;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.Metric;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageScaling;
import imgsearch.eval.NearDuplicateSet.Transformation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * How well each descriptor and metric finds the original of an altered copy: every query of a
 * {@link NearDuplicateSet} is ranked against the whole database (originals and distractors), and the
 * rank of its original gives recall@1 (original ranked first) and average precision (1 / rank, there
 * being one right answer, so mAP is the mean reciprocal rank). Ties count against the original.
 */
public final class NearDuplicateBenchmark {
  private NearDuplicateBenchmark() {}

  /**
   * One descriptor with one metric.
   *
   * @param descriptor descriptor label, e.g. {@code pixels v1 (size=224)}
   * @param name descriptor name
   * @param dimension vector length
   * @param metric the metric
   * @param recallAt1 share of queries whose original ranked first
   * @param meanAveragePrecision mean of 1 / rank of the original
   * @param recallAt1ByTransformation recall@1 per transformation id
   * @param mapByTransformation mAP per transformation id
   */
  public record Row(String descriptor, String name, int dimension, Metric metric, double recallAt1,
      double meanAveragePrecision, Map<String, Double> recallAt1ByTransformation, Map<String, Double> mapByTransformation) {

    public Row {
      recallAt1ByTransformation = Map.copyOf(recallAt1ByTransformation);
      mapByTransformation = Map.copyOf(mapByTransformation);
    }
  }

  /**
   * The outcome of a run.
   *
   * @param seed the set's seed
   * @param scenes base scenes (each is one original in the database)
   * @param databaseSize originals plus distractors
   * @param queries altered copies queried
   * @param transformations transformation ids, in report order
   * @param rows one per descriptor and metric, in the order run
   */
  public record Result(long seed, int scenes, int databaseSize, int queries, List<String> transformations, List<Row> rows) {

    public Result {
      transformations = List.copyOf(transformations);
      rows = List.copyOf(rows);
    }

    /** The row of a descriptor name and metric. */
    public Row row(String name, Metric metric) {
      return rows.stream().filter(r -> r.name().equals(name) && r.metric() == metric).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no result for " + name + " with " + metric.id()));
    }

    /** The best row (by recall@1, then mAP) of a descriptor name. */
    public Row best(String name) {
      return rows.stream().filter(r -> r.name().equals(name))
          .max((a, b) -> a.recallAt1() != b.recallAt1() ? Double.compare(a.recallAt1(), b.recallAt1())
              : Double.compare(a.meanAveragePrecision(), b.meanAveragePrecision()))
          .orElseThrow(() -> new IllegalArgumentException("no result for " + name));
    }

    /** Markdown: an overall table and recall@1 and mAP per transformation. */
    public String toMarkdown() {
      StringBuilder md = new StringBuilder();
      md.append(String.format(Locale.ROOT, "Set: seed %d, %d scenes, database of %d images (originals + distractors), %d queries.%n%n",
          seed, scenes, databaseSize, queries));
      md.append("| descriptor | dim | metric | recall@1 | mAP |\n|---|---:|---|---:|---:|\n");
      for (Row r : rows) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3f | %.3f |%n", r.descriptor(), r.dimension(),
            r.metric().id(), r.recallAt1(), r.meanAveragePrecision()));
      }
      md.append("\nRecall@1 per transformation:\n\n");
      perTransformation(md, true);
      md.append("\nmAP per transformation:\n\n");
      perTransformation(md, false);
      return md.toString();
    }

    private void perTransformation(StringBuilder md, boolean recall) {
      md.append("| descriptor | metric |");
      transformations.forEach(t -> md.append(' ').append(t).append(" |"));
      md.append("\n|---|---|");
      transformations.forEach(t -> md.append("---:|"));
      md.append('\n');
      for (Row r : rows) {
        md.append("| ").append(r.name()).append(" | ").append(r.metric().id()).append(" |");
        Map<String, Double> values = recall ? r.recallAt1ByTransformation() : r.mapByTransformation();
        for (String t : transformations) {
          md.append(String.format(Locale.ROOT, " %.2f |", values.get(t)));
        }
        md.append('\n');
      }
    }
  }

  /** Runs every descriptor with every one of its metrics over the set. */
  public static Result run(NearDuplicateSet set, List<Descriptor> descriptors) {
    List<String> transformations = Arrays.stream(Transformation.values()).map(Transformation::id).toList();
    List<NearDuplicateSet.Entry> db = set.database();
    List<NearDuplicateSet.Query> queries = set.queries();
    Map<String, Integer> position = new LinkedHashMap<>();
    for (int i = 0; i < db.size(); i++) {
      position.put(db.get(i).id(), i);
    }
    int[] relevant = queries.stream().mapToInt(q -> position.get(q.originalId())).toArray();
    List<Row> rows = new ArrayList<>();
    for (Descriptor d : descriptors) {
      float[][] dbVectors = describeAll(d, db.stream().map(NearDuplicateSet.Entry::image).toList());
      float[][] queryVectors = describeAll(d, queries.stream().map(NearDuplicateSet.Query::image).toList());
      for (Metric m : d.metrics()) {
        int[] ranks = ranks(m, queryVectors, dbVectors, relevant);
        Map<String, Double> recallBy = new LinkedHashMap<>();
        Map<String, Double> mapBy = new LinkedHashMap<>();
        for (String t : transformations) {
          int[] idx = IntStream.range(0, queries.size()).filter(q -> queries.get(q).transformation().id().equals(t)).toArray();
          recallBy.put(t, recallAt1(ranks, idx));
          mapBy.put(t, meanReciprocalRank(ranks, idx));
        }
        int[] all = IntStream.range(0, queries.size()).toArray();
        rows.add(new Row(d.spec().title(), d.name(), d.dimension(), m, recallAt1(ranks, all), meanReciprocalRank(ranks, all),
            recallBy, mapBy));
      }
    }
    return new Result(set.seed(), set.scenes(), db.size(), queries.size(), transformations, rows);
  }

  /**
   * Each image described as the indexer would: first reduced as the decoder reduces a photo for this
   * descriptor (its {@link Descriptor#inputSide()}; averaging blocks, as the decoder does without libjpeg-turbo).
   */
  private static float[][] describeAll(Descriptor d, List<BufferedImage> images) {
    float[][] out = new float[images.size()][];
    IntStream.range(0, images.size()).parallel().forEach(i -> {
      BufferedImage image = images.get(i);
      int divisor = ImageDecoder.reduction(image.getWidth(), image.getHeight(), d.inputSide());
      out[i] = d.describe(ImageScaling.reduce(ImageScaling.toRgb(image), divisor));
    });
    return out;
  }

  /** Queries scored together against each database vector, so that long vectors are read from memory once per block. */
  private static final int QUERY_BLOCK = 8;

  /**
   * 1-based rank of each query's relevant item; items scoring as well as it count as ranked before it.
   * Blocks of queries run in parallel.
   */
  private static int[] ranks(Metric metric, float[][] queries, float[][] db, int[] relevant) {
    int[] ranks = new int[queries.length];
    int blocks = (queries.length + QUERY_BLOCK - 1) / QUERY_BLOCK;
    IntStream.range(0, blocks).parallel().forEach(block -> {
      int from = block * QUERY_BLOCK, to = Math.min(queries.length, from + QUERY_BLOCK);
      Metric.Scorer[] scorers = new Metric.Scorer[to - from];
      double[] target = new double[to - from];
      for (int q = from; q < to; q++) {
        scorers[q - from] = metric.scorer(queries[q]);
        target[q - from] = scorers[q - from].score(db[relevant[q]]);
        ranks[q] = 1;
      }
      for (int i = 0; i < db.length; i++) {
        for (int q = from; q < to; q++) {
          if (i != relevant[q]) {
            double s = scorers[q - from].score(db[i]);
            if (s == target[q - from] || metric.better(s, target[q - from])) {
              ranks[q]++;
            }
          }
        }
      }
    });
    return ranks;
  }

  private static double recallAt1(int[] ranks, int[] idx) {
    return idx.length == 0 ? 0 : (double) Arrays.stream(idx).filter(i -> ranks[i] == 1).count() / idx.length;
  }

  private static double meanReciprocalRank(int[] ranks, int[] idx) {
    return idx.length == 0 ? 0 : Arrays.stream(idx).mapToDouble(i -> 1.0 / ranks[i]).sum() / idx.length;
  }
}
