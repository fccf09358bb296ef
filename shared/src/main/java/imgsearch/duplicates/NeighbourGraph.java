package imgsearch.duplicates;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every indexed image's near neighbours down to a floor threshold, found by one kNN search per image through
 * {@link ImageIndex#search} (the index's HNSW graph), so the cost grows with the collection as kNN does, not as
 * all pairs. Groups at any threshold at least as strict as the floor come from it without searching again
 * (see {@link DuplicateFinder#group}).
 *
 * <p>Each image asks for its {@link #FIRST_K} nearest; when all of them are within the floor it asks again for
 * four times as many, up to {@link #MAX_K}, so large groups are found whole up to that size.
 */
public final class NeighbourGraph {

  /** Neighbours asked for first. */
  public static final int FIRST_K = 16;
  /** Most neighbours kept per image. */
  public static final int MAX_K = 64;

  /** Reports progress while the graph is built; called from the search threads. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} images have been searched. */
    void searched(int done, int total);

    /** Reports nothing. */
    Progress NONE = (done, total) -> {};
  }

  private final DuplicateMeasure measure;
  private final DescriptorSpec spec;
  private final double floor;
  private final int indexed;
  private final List<ImageRecord> images;
  private final float[][] vectors;
  private final int[][] neighbours;
  private final int widened;
  private final long millis;

  private NeighbourGraph(DuplicateMeasure measure, DescriptorSpec spec, double floor, int indexed,
      List<ImageRecord> images, float[][] vectors, int[][] neighbours, int widened, long millis) {
    this.measure = measure;
    this.spec = spec;
    this.floor = floor;
    this.indexed = indexed;
    this.images = images;
    this.vectors = vectors;
    this.neighbours = neighbours;
    this.widened = widened;
    this.millis = millis;
  }

  /**
   * Searches the neighbours of every image that has a vector of the measure's descriptor.
   *
   * @param floor the loosest threshold groups will be asked for
   * @param threads searches run at once
   * @throws NoSuchElementException when the index holds no vectors of the measure's descriptor
   */
  public static NeighbourGraph build(ImageIndex index, DuplicateMeasure measure, double floor, int threads,
      Progress progress) throws IOException {
    long start = System.nanoTime();
    DescriptorSpec spec = index.descriptors().get(measure.descriptor());
    if (spec == null) {
      throw new NoSuchElementException("the index has no " + measure.descriptor() + " vectors");
    }
    Metric metric = measure.searchMetric(spec);
    int indexed = index.count(ImageFilter.ALL);
    List<ImageRecord> images = index.list(ImageFilter.ALL, 0, indexed).stream()
        .filter(r -> r.descriptors().contains(spec.key())).toList();
    int n = images.size();
    Map<String, Integer> position = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      position.put(images.get(i).id(), i);
    }
    float[][] vectors = new float[n][];
    int[][] neighbours = new int[n][];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger widened = new AtomicInteger();
    int workers = Math.max(1, Math.min(threads, n));
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "imgsearch-duplicates");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            if (search(index, measure, spec, metric, floor, images.get(i), position, i, vectors, neighbours)) {
              widened.incrementAndGet();
            }
            progress.searched(done.incrementAndGet(), n);
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("finding duplicates was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("finding duplicates failed: " + cause.getMessage(), cause);
    } finally {
      pool.shutdownNow();
    }
    // Vectors are needed later only for images that can end up in a group.
    boolean[] linked = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (neighbours[i].length > 0) {
        linked[i] = true;
        for (int j : neighbours[i]) {
          linked[j] = true;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (!linked[i]) {
        vectors[i] = null;
      }
    }
    return new NeighbourGraph(measure, spec, floor, indexed, images, vectors, neighbours, widened.get(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Searches image {@code i}'s neighbours; returns whether the first search was not enough. */
  private static boolean search(ImageIndex index, DuplicateMeasure measure, DescriptorSpec spec, Metric metric,
      double floor, ImageRecord image, Map<String, Integer> position, int i, float[][] vectors, int[][] neighbours) {
    try {
      float[] v = index.vector(image.id(), spec).orElse(null);
      if (v == null) {
        neighbours[i] = new int[0];
        return false;
      }
      vectors[i] = v;
      int k = FIRST_K;
      while (true) {
        // k + 1: the image itself comes back too (no exclusion filter, which would cost a pass over all documents)
        List<SearchHit> hits = index.search(new VectorQuery(spec, metric, v, k + 1, false,
            ImageFilter.ALL, null));
        List<Integer> near = new ArrayList<>();
        int within = 0;
        for (SearchHit h : hits) {
          double score = measure.fromHit(h.score(), v);
          if (!measure.within(score, floor)) {
            break; // best first: the rest are farther
          }
          within++;
          Integer j = position.get(h.image().id());
          if (j != null && j != i) {
            near.add(j);
          }
        }
        if (within < hits.size() || hits.size() < k + 1 || k >= MAX_K) {
          neighbours[i] = near.stream().mapToInt(Integer::intValue).toArray();
          return k > FIRST_K;
        }
        k = Math.min(MAX_K, k * 4);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The measure the graph was built with. */
  public DuplicateMeasure measure() {
    return measure;
  }

  /** The index's spec of the measure's descriptor: which vectors were compared. */
  public DescriptorSpec spec() {
    return spec;
  }

  /** The loosest threshold groups can be asked for. */
  public double floor() {
    return floor;
  }

  /** Images in the index, with or without a vector of the descriptor. */
  public int indexed() {
    return indexed;
  }

  /** Images compared: those with a vector of the descriptor. */
  public int compared() {
    return images.size();
  }

  /** Images whose first search found only near neighbours, so that more were asked for. */
  public int widened() {
    return widened;
  }

  /** Time the searches took. */
  public long millis() {
    return millis;
  }

  ImageRecord image(int i) {
    return images.get(i);
  }

  float[] vector(int i) {
    return vectors[i];
  }

  /** Positions of image {@code i}'s neighbours within the floor, closest first (the image itself left out). */
  int[] neighbours(int i) {
    return neighbours[i];
  }
}
