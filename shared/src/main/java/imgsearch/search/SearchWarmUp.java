package imgsearch.search;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Searches an index by one of its own images with every descriptor and metric it can be searched with,
 * before anyone asks. The kernels that score candidates run slowly until the JIT has compiled them: in a
 * server just started, the first search by raw pixels took 0.9 s instead of 40 ms, and the first comparison
 * of every method 2.8 s instead of 0.1-0.3 s (BENCHMARKS.md). A server runs this in the background as it starts.
 *
 * <p>Each descriptor and metric is searched until about {@value #CANDIDATES} candidates have been scored
 * (at least once, at most {@value #MAX_ROUNDS} times): the kernels then have run often enough to be
 * compiled, and a large collection is scanned only once per metric.
 */
public final class SearchWarmUp {

  static final int CANDIDATES = 2_000;
  static final int MAX_ROUNDS = 20;

  private final ImageSearcher searcher;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  public SearchWarmUp(ImageSearcher searcher) {
    this.searcher = searcher;
  }

  /**
   * Runs the searches, as the server would answer them (HNSW where the metric has a graph, else an exact
   * scan), and returns how many it ran: none for an empty index.
   */
  public int run() throws IOException {
    List<ImageRecord> first = searcher.index().list(ImageFilter.ALL, 0, 1);
    if (first.isEmpty()) {
      return 0;
    }
    String id = first.get(0).id();
    int rounds = rounds(searcher.index().count(ImageFilter.ALL));
    int searches = 0;
    for (DescriptorSpec spec : searcher.searchableDescriptors()) {
      if (searcher.index().vector(id, spec).isEmpty()) {
        continue; // not described with this one (yet)
      }
      for (Metric metric : spec.metrics()) {
        for (int r = 0; r < rounds; r++) {
          if (cancelled.get()) {
            return searches;
          }
          searcher.byId(id, new SearchOptions(spec.name(), metric, 10, false, ImageFilter.ALL));
          searches++;
        }
      }
    }
    return searches;
  }

  /** Searches per descriptor and metric in a collection of {@code images}. */
  static int rounds(int images) {
    return Math.min(MAX_ROUNDS, Math.max(1, (CANDIDATES + images - 1) / Math.max(1, images)));
  }

  /** Makes a running {@link #run} return after the search under way. */
  public void cancel() {
    cancelled.set(true);
  }
}
