package imgsearch.eval.knn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact nearest neighbours by dot product, by brute force: the ground truth of a kNN benchmark.
 *
 * <p>The base file is streamed in blocks (it never has to fit in memory); each block is compared with
 * every query on all threads, tile by tile so that the base vectors being compared stay in the CPU's
 * cache, with Lucene's SIMD dot product. The best {@code k + }{@value #MARGIN} of each query by that
 * float score get a second score, summed in double in index order, which makes the final ranking (ties by
 * smaller id): it then does not depend on the CPU's vector width.
 */
public final class ExactNeighbours {

  /** Extra candidates kept per query, re-ranked in double precision. */
  static final int MARGIN = 16;
  private static final int BLOCK = 16_384;
  private static final int TILE = 128;

  private ExactNeighbours() {}

  /**
   * The {@code k} nearest base vectors of each query, best first, as positions in {@code base}.
   *
   * @param progress told how many base vectors have been compared so far
   */
  public static int[][] compute(Path base, List<float[]> queries, int k, int threads, LongConsumer progress)
      throws IOException {
    int keep = k + MARGIN;
    TopK[] tops = new TopK[queries.size()];
    for (int q = 0; q < tops.length; q++) {
      tops[q] = new TopK(keep);
    }
    float[][] qs = queries.toArray(new float[0][]);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "imgsearch-truth");
      t.setDaemon(true);
      return t;
    });
    try (VectorFiles.FvecsReader in = new VectorFiles.FvecsReader(base)) {
      long done = 0;
      float[][] block = new float[BLOCK][];
      while (true) {
        int n = 0;
        for (float[] v = n < BLOCK ? in.next() : null; v != null; v = n < BLOCK ? in.next() : null) {
          if (qs.length > 0 && v.length != qs[0].length) {
            throw new IOException(base + ": vector " + (done + n) + " has " + v.length + " values, the queries "
                + qs[0].length);
          }
          block[n++] = v;
        }
        if (n == 0) {
          break;
        }
        compareBlock(pool, threads, block, n, done, qs, tops);
        done += n;
        progress.accept(done);
        if (n < BLOCK) {
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    int[][] out = new int[qs.length][];
    for (int q = 0; q < qs.length; q++) {
      out[q] = tops[q].best(k);
    }
    return out;
  }

  private static void compareBlock(ExecutorService pool, int threads, float[][] block, int n, long firstId,
      float[][] qs, TopK[] tops) throws IOException {
    List<Future<?>> parts = new ArrayList<>();
    int slice = Math.max(1, (qs.length + threads - 1) / threads);
    for (int from = 0; from < qs.length; from += slice) {
      int start = from, end = Math.min(qs.length, from + slice);
      parts.add(pool.submit(() -> {
        for (int t = 0; t < n; t += TILE) {
          int tileEnd = Math.min(n, t + TILE);
          for (int q = start; q < end; q++) {
            float[] query = qs[q];
            TopK top = tops[q];
            for (int b = t; b < tileEnd; b++) {
              top.offer(VectorUtil.dotProduct(query, block[b]), query, block[b], firstId + b);
            }
          }
        }
      }));
    }
    for (Future<?> f : parts) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IOException("computing the ground truth failed: " + e.getCause(), e.getCause());
      }
    }
  }

  /** Dot product summed in double, in index order: the same value on every machine. */
  static double exactDot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** The best {@code size} (score, id) pairs seen: a min-heap on score. */
  static final class TopK {
    private final float[] scores;
    private final long[] ids;
    private final double[] exact;
    private int size;

    TopK(int capacity) {
      scores = new float[capacity];
      ids = new long[capacity];
      exact = new double[capacity];
    }

    /** Keeps {@code id} when its float score is among the best; then its exact score is computed. */
    void offer(float score, float[] query, float[] vector, long id) {
      if (size < scores.length) {
        int i = size++;
        scores[i] = score;
        ids[i] = id;
        exact[i] = exactDot(query, vector);
        up(i);
      } else if (score > scores[0]) {
        scores[0] = score;
        ids[0] = id;
        exact[0] = exactDot(query, vector);
        down(0);
      }
    }

    /** The best {@code k} ids by exact score, ties by smaller id. */
    int[] best(int k) {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> exact[a] != exact[b] ? Double.compare(exact[b], exact[a])
          : Long.compare(ids[a], ids[b]));
      int[] out = new int[Math.min(k, size)];
      for (int i = 0; i < out.length; i++) {
        out[i] = Math.toIntExact(ids[order[i]]);
      }
      return out;
    }

    private void up(int i) {
      while (i > 0) {
        int p = (i - 1) / 2;
        if (scores[p] <= scores[i]) {
          return;
        }
        swap(i, p);
        i = p;
      }
    }

    private void down(int i) {
      while (true) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < size && scores[l] < scores[m]) {
          m = l;
        }
        if (r < size && scores[r] < scores[m]) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }

    private void swap(int a, int b) {
      float s = scores[a];
      scores[a] = scores[b];
      scores[b] = s;
      long id = ids[a];
      ids[a] = ids[b];
      ids[b] = id;
      double e = exact[a];
      exact[a] = exact[b];
      exact[b] = e;
    }
  }
}
