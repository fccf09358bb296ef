package imgsearch.descriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (not a unit test): one exact L1 scan of a query over {@code count} pixel vectors held in
 * memory, split over {@code threads} threads, through {@link Metric#scorer}. Defaults: 10,000 vectors of
 * 224 x 224 x 3 = 150,528 values on 2 threads, which needs about 6.1 GB of heap:
 *
 * <pre>java -Xmx8g --add-modules jdk.incubator.vector -cp CLASSPATH imgsearch.descriptor.ExactScanBenchmark [count] [dim] [threads]</pre>
 */
public final class ExactScanBenchmark {
  private ExactScanBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 150_528;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    System.out.printf(Locale.ROOT, "filling %,d x %,d floats (%.2f GB), SIMD=%s%n", count, dim,
        4.0 * count * dim / 1e9, VectorMath.SIMD);
    float[][] vectors = new float[count][];
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fills = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        fills.add(pool.submit(() -> {
          long state = 0x9E3779B97F4A7C15L * (first + 1);
          for (int v = first; v < count; v += threads) {
            float[] x = new float[dim];
            for (int i = 0; i < dim; i++) {
              state ^= state << 13;
              state ^= state >>> 7;
              state ^= state << 17;
              x[i] = (float) (state >>> 56);
            }
            vectors[v] = x;
          }
        }));
      }
      for (Future<?> f : fills) {
        f.get();
      }
      double[] scores = new double[count];
      long[] nanos = new long[12];
      for (int run = 0; run < nanos.length; run++) {
        float[] query = vectors[(run * 7919) % count];
        long start = System.nanoTime();
        Metric.Scorer scorer = Metric.L1.scorer(query);
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int from = (int) ((long) count * t / threads);
          int to = (int) ((long) count * (t + 1) / threads);
          parts.add(pool.submit(() -> {
            for (int v = from; v < to; v++) {
              scores[v] = scorer.score(vectors[v]);
            }
          }));
        }
        for (Future<?> f : parts) {
          f.get();
        }
        int best = 0;
        for (int v = 1; v < count; v++) {
          if (scores[v] < scores[best]) {
            best = v;
          }
        }
        nanos[run] = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "run %d: %.3f s (best match %d, L1 %.0f)%n", run, nanos[run] / 1e9, best, scores[best]);
      }
      long[] warm = Arrays.copyOfRange(nanos, 2, nanos.length);
      Arrays.sort(warm);
      System.out.printf(Locale.ROOT, "exact L1 scan, %,d x %,d floats, %d threads: median %.3f s, best %.3f s (%.1f GB/s)%n",
          count, dim, threads, warm[warm.length / 2] / 1e9, warm[0] / 1e9, 4.0 * count * dim / warm[warm.length / 2]);
    }
  }
}
