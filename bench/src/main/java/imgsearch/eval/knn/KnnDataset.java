package imgsearch.eval.knn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A kNN benchmark's three files in a folder: {@code base.fvecs} (the vectors to index),
 * {@code queries.fvecs} and {@code truth.ivecs} (per query the ids of its exact nearest base vectors by
 * dot product, best first).
 *
 * @param base the vectors to index
 * @param queries the query vectors
 * @param truth the exact neighbours of each query
 */
public record KnnDataset(Path base, Path queries, Path truth) {

  /** Neighbours per query written to the truth file: enough for recall@1 to recall@100. */
  public static final int TRUTH_DEPTH = 100;
  private static final int CHUNK = 4096;

  /** The three files in {@code dir}, under their usual names. */
  public static KnnDataset in(Path dir) {
    return new KnnDataset(dir.resolve("base.fvecs"), dir.resolve("queries.fvecs"), dir.resolve("truth.ivecs"));
  }

  /**
   * Writes clustered unit vectors ({@link ClusteredVectors}) and their exact ground truth into {@code dir}.
   *
   * @param progress told what is being done, one line at a time
   */
  public static KnnDataset generate(Path dir, long vectors, int dimension, int queries, long seed, int threads,
      Consumer<String> progress) throws IOException {
    if (vectors < TRUTH_DEPTH) {
      throw new IllegalArgumentException("need at least " + TRUTH_DEPTH + " base vectors, got " + vectors);
    }
    if (vectors > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " base vectors (ids are int32)");
    }
    Files.createDirectories(dir);
    KnnDataset set = in(dir);
    ClusteredVectors gen = new ClusteredVectors(dimension, ClusteredVectors.defaultClusters(vectors), seed);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "imgsearch-generate");
      t.setDaemon(true);
      return t;
    });
    try {
      progress.accept("writing " + vectors + " base vectors of " + dimension + " dimensions to " + set.base());
      write(pool, threads, gen, ClusteredVectors.Stream.BASE, vectors, set.base());
      write(pool, threads, gen, ClusteredVectors.Stream.QUERIES, queries, set.queries());
    } finally {
      pool.shutdownNow();
    }
    progress.accept("computing the exact " + TRUTH_DEPTH + " nearest neighbours of " + queries
        + " queries by brute force on " + threads + " threads");
    List<float[]> q = VectorFiles.readFvecs(set.queries());
    long[] nextReport = {vectors / 10};
    int[][] truth = ExactNeighbours.compute(set.base(), q, TRUTH_DEPTH, threads, done -> {
      if (done >= nextReport[0] || done == vectors) {
        progress.accept(String.format(java.util.Locale.ROOT, "  %,d of %,d base vectors compared", done, vectors));
        nextReport[0] = done + vectors / 10;
      }
    });
    try (VectorFiles.Writer w = new VectorFiles.Writer(set.truth())) {
      for (int[] row : truth) {
        w.write(row);
      }
    }
    return set;
  }

  /** Generates chunks on the pool, a few ahead, and writes them in order. */
  private static void write(ExecutorService pool, int threads, ClusteredVectors gen, ClusteredVectors.Stream stream,
      long count, Path file) throws IOException {
    try (VectorFiles.Writer w = new VectorFiles.Writer(file)) {
      Deque<Future<List<float[]>>> ahead = new ArrayDeque<>();
      long next = 0;
      while (next < count || !ahead.isEmpty()) {
        while (next < count && ahead.size() < 2 * threads) {
          long from = next, to = Math.min(count, next + CHUNK);
          ahead.add(pool.submit(() -> {
            List<float[]> chunk = new ArrayList<>((int) (to - from));
            for (long i = from; i < to; i++) {
              chunk.add(gen.vector(stream, i));
            }
            return chunk;
          }));
          next = to;
        }
        try {
          for (float[] v : ahead.removeFirst().get()) {
            w.write(v);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
          throw new IOException("generating vectors failed: " + e.getCause(), e.getCause());
        }
      }
    }
  }
}
