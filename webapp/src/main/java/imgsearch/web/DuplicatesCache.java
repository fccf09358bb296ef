package imgsearch.web;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.NeighbourGraph;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The neighbour graphs behind the Duplicates page and {@code /api/duplicates}, one per measure, searched down to
 * the measure's loosest threshold once, so that moving the threshold slider only regroups (milliseconds). A
 * graph is searched again when the index changes (another image count or descriptor version).
 *
 * <p>Small collections are searched while the request waits; a large one in the background, the request
 * answering with the progress so far until it is done.
 */
final class DuplicatesCache implements AutoCloseable {

  /** Collections up to this size are searched while the request waits (seconds at most). */
  static final int WAIT_UP_TO_IMAGES = 5_000;
  /** How long a request for a larger collection waits before answering with the progress. */
  private static final long WAIT_MILLIS = 1_500;

  /** Either the graph, or how far the search for it has come. */
  record State(NeighbourGraph graph, int done, int total) {
    boolean ready() {
      return graph != null;
    }
  }

  private record Key(String descriptor, String specKey, int images) {}

  private record Search(Key key, CompletableFuture<NeighbourGraph> graph, AtomicInteger done, AtomicInteger total) {}

  private final ImageIndex index;
  private final int threads;
  private final ExecutorService background;
  private final Map<String, Search> searches = new ConcurrentHashMap<>();

  DuplicatesCache(ImageIndex index, int threads) {
    this.index = index;
    this.threads = Math.max(1, threads);
    this.background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "imgsearch-duplicates-cache");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The graph of {@code measure} for the index as it is now, or the progress of its search.
   *
   * @throws IOException when the index cannot be read or the search failed
   */
  State state(DuplicateMeasure measure) throws IOException {
    DescriptorSpec spec = index.descriptors().get(measure.descriptor());
    int images = index.count(ImageFilter.ALL);
    Key key = new Key(measure.descriptor(), spec == null ? "" : spec.key(), images);
    Search search = searches.compute(measure.descriptor(), (name, old) -> {
      if (old != null && old.key().equals(key) && !old.graph().isCompletedExceptionally()) {
        return old;
      }
      return start(key, measure);
    });
    try {
      NeighbourGraph graph = images <= WAIT_UP_TO_IMAGES ? search.graph().get()
          : search.graph().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      return new State(graph, graph.compared(), graph.compared());
    } catch (TimeoutException e) {
      return new State(null, search.done().get(), search.total().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while finding duplicates", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("finding duplicates failed: " + cause.getMessage(), cause);
    }
  }

  private Search start(Key key, DuplicateMeasure measure) {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger total = new AtomicInteger(key.images());
    CompletableFuture<NeighbourGraph> graph = new CompletableFuture<>();
    background.submit(() -> {
      try {
        graph.complete(NeighbourGraph.build(index, measure, measure.loosestThreshold(), threads, (d, t) -> {
          done.set(d);
          total.set(t);
        }));
      } catch (Throwable e) {
        graph.completeExceptionally(e);
      }
    });
    return new Search(Objects.requireNonNull(key), graph, done, total);
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
