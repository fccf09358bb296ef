package imgsearch.cli.bench;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.VectorQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Searches an index the way a server does while something else writes to it: its own read-only view
 * (which picks up each commit), one query at a time with a short pause between, recording each latency
 * under the phase the writer says it is in. Shows whether flushing and merging stall searches.
 */
final class LatencyProbe implements AutoCloseable {

  private static final long PAUSE_MILLIS = 5;

  private final ImageIndex index;
  private final List<float[]> queries;
  private final String descriptor;
  private final Map<String, List<Long>> nanosByPhase = new ConcurrentHashMap<>();
  private volatile String phase;
  private volatile boolean stop;
  private volatile Exception failure;
  private final Thread thread;

  LatencyProbe(ImageIndex readOnlyIndex, String descriptor, List<float[]> queries, String firstPhase) {
    this.index = readOnlyIndex;
    this.queries = queries;
    this.descriptor = descriptor;
    this.phase = firstPhase;
    this.thread = new Thread(this::loop, "imgsearch-latency-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /** Latencies from now on count under {@code name}. */
  void phase(String name) {
    phase = name;
  }

  private void loop() {
    DescriptorSpec spec;
    try {
      spec = index.descriptor(descriptor);
    } catch (Exception e) {
      failure = e;
      return;
    }
    int i = 0;
    while (!stop) {
      float[] q = queries.get(i++ % queries.size());
      String current = phase;
      long t = System.nanoTime();
      try {
        index.search(new VectorQuery(spec, Metric.DOT, q, 10, false, ImageFilter.ALL, null));
      } catch (Exception e) {
        failure = e;
        return;
      }
      nanosByPhase.computeIfAbsent(current, p -> java.util.Collections.synchronizedList(new ArrayList<>()))
          .add(System.nanoTime() - t);
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Per phase: searches, p50, p99 and max latency in ms. */
  Map<String, Map<String, Object>> summary() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    nanosByPhase.forEach((p, list) -> {
      long[] sorted;
      synchronized (list) {
        sorted = list.stream().mapToLong(Long::longValue).toArray();
      }
      Arrays.sort(sorted);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("searches", sorted.length);
      m.put("p50Ms", KnnBench.round(sorted[sorted.length / 2] / 1e6, 2));
      m.put("p99Ms", KnnBench.round(sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, 2));
      m.put("maxMs", KnnBench.round(sorted[sorted.length - 1] / 1e6, 2));
      out.put(p, m);
    });
    return out;
  }

  /** The failure that stopped the probe, or null. */
  Exception failure() {
    return failure;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(10_000);
  }
}
