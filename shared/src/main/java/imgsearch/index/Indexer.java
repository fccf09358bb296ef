package imgsearch.index;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.DescriptorUnavailableException;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.file.Sha256;
import imgsearch.image.DecodedImage;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageFiles;
import imgsearch.index.IndexSummary.FailureKind;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings an index up to date with a folder of images, in parallel across cores.
 *
 * <p>Incremental: a file whose content hash and descriptors are already in the index is skipped, a
 * changed file is re-described, a file that is gone is removed. Work is committed every 10 seconds, so
 * an interrupted run leaves a valid index and the next run picks up where it stopped (a commit writes and
 * syncs everything since the last one: committing more often would cost more than it saves when
 * photos are indexed at hundreds a second).
 *
 * <p>When the folder has the {@code train/<class>/} and {@code test/<class>/} shape, only those two
 * folders are indexed and each image records its split and class. A {@code manifest.jsonl} at the
 * folder's root (written by the crawler) supplies attribution.
 */
public final class Indexer {

  /** Marker file an index folder contains, so that walking a folder never indexes an index. */
  public static final String INDEX_MARKER = "IMGSEARCH_INDEX";
  private static final long COMMIT_EVERY_NANOS = 10_000_000_000L;
  /** Files handed to a worker at once: deep descriptors describe them as one batch. */
  private static final int BATCH = 8;

  private final ImageIndex index;
  private final ImageDecoder decoder;
  private final List<Descriptor> descriptors;
  /** Images are decoded once, at the size the most demanding descriptor needs (see Descriptor#inputSide). */
  private final int inputSide;
  private final int threads;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  /** Descriptor name -> how its graph is to store vectors; absent: as the index has it. */
  private final Map<String, Quantization> quantization;

  /**
   * @param descriptors the descriptors to compute; vectors of other descriptors already in the index
   *     are kept for unchanged files
   * @param threads worker threads (decoding dominates: use the number of cores)
   */
  public Indexer(ImageIndex index, ImageDecoder decoder, List<Descriptor> descriptors, int threads) {
    this(index, decoder, descriptors, threads, Map.of());
  }

  private Indexer(ImageIndex index, ImageDecoder decoder, List<Descriptor> descriptors, int threads,
      Map<String, Quantization> quantization) {
    if (descriptors.isEmpty()) {
      throw new IllegalArgumentException("at least one descriptor is needed");
    }
    this.index = index;
    this.decoder = decoder;
    this.descriptors = List.copyOf(descriptors);
    this.inputSide = Descriptor.inputSide(this.descriptors);
    this.threads = Math.max(1, threads);
    this.quantization = Map.copyOf(quantization);
  }

  /**
   * This indexer, storing the graphs of the named descriptors as {@code byDescriptor} says (see
   * {@link ImageIndex#registerDescriptor(DescriptorSpec, Quantization)}); the others keep what the index
   * has, or the backend's default.
   */
  public Indexer withQuantization(Map<String, Quantization> byDescriptor) {
    return new Indexer(index, decoder, descriptors, threads, byDescriptor);
  }

  /** Asks a running {@link #index} call to stop soon; it commits what it has done and returns. */
  public void cancel() {
    cancelled.set(true);
  }

  /**
   * Indexes every image under {@code root}, recursively.
   *
   * <p>Every descriptor is {@linkplain Descriptor#prepare() prepared} first, so a deep model that cannot
   * be had fails the run before the index is touched, instead of failing each image. A model that
   * breaks down later in the run also ends it (what was committed stays).
   *
   * @throws DescriptorUnavailableException when a descriptor's model cannot be had or used
   */
  public IndexSummary index(Path root, IndexListener listener) throws IOException {
    long start = System.nanoTime();
    Path dir = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(root + " is not a folder");
    }
    for (Descriptor d : descriptors) {
      d.prepare();
    }
    for (Descriptor d : descriptors) {
      index.registerDescriptor(d.spec(), quantization.get(d.name()));
    }
    index.commit(); // from here on the index exists: a server can open it while this run goes on
    Map<String, DescriptorSpec> catalogue = index.descriptors();
    Layout layout = Layout.of(dir);
    Map<String, ManifestEntry> manifest = Manifest.read(dir);
    // The folder is walked twice, streaming: once to count the files (for progress), once to index them. No
    // list of files, no set of ids seen: memory stays the same however large the collection.
    int[] total = {0};
    layout.walk(file -> total[0]++);
    listener.started(total[0]);

    Run run = new Run(dir, layout, manifest, catalogue, listener);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "imgsearch-indexer");
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<Future<?>> inFlight = new ArrayDeque<>();
      List<Path> batch = new ArrayList<>(BATCH);
      layout.walk(file -> {
        if (cancelled.get()) {
          return;
        }
        batch.add(file);
        if (batch.size() == BATCH) {
          submit(pool, run, List.copyOf(batch), inFlight);
          batch.clear();
        }
      });
      if (!batch.isEmpty()) {
        submit(pool, run, List.copyOf(batch), inFlight);
      }
      while (!inFlight.isEmpty()) {
        await(inFlight.removeFirst());
      }
      // What the indexing threads left in memory is written out by all of them at once, rather than by the
      // commit below on this one thread.
      for (int i = 0; i < threads; i++) {
        inFlight.add(pool.submit(() -> {
          while (index.writeBuffered()) {
            // each call writes one part; another thread may be writing the next
          }
          return null;
        }));
      }
      while (!inFlight.isEmpty()) {
        await(inFlight.removeFirst());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      pool.shutdownNow();
    }
    int removed = cancelled.get() ? 0 : removeVanished(dir, layout);
    index.commit();
    listener.committed(run.done.get());
    return new IndexSummary(run.indexed.get(), run.unchanged.get(), removed, new ArrayList<>(run.failures),
        cancelled.get(), (System.nanoTime() - start) / 1_000_000);
  }

  /** Hands a batch to the pool, first waiting while a few batches per thread are already queued. */
  private void submit(ExecutorService pool, Run run, List<Path> batch, Deque<Future<?>> inFlight) {
    while (inFlight.size() >= 4 * threads) {
      try {
        await(inFlight.removeFirst());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    inFlight.add(pool.submit(() -> run.processBatch(batch)));
  }

  private void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DescriptorUnavailableException model) {
        throw model;
      }
      throw cause instanceof UncheckedIOException u ? u.getCause() : new IOException(cause.getMessage(), cause);
    }
  }

  /** Stable id of an image: from its absolute path, so re-described files keep their id. */
  public static String idOf(Path file) {
    return Sha256.hex(file.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8))
        .substring(0, 16);
  }

  /**
   * Removes the images under {@code dir} whose file this run did not visit: gone, renamed, no longer an
   * image, or now outside what the layout indexes. Decided per image from the file system, while walking
   * the index a page at a time, so nothing per image is remembered from the walk.
   */
  private int removeVanished(Path dir, Layout layout) throws IOException {
    String prefix = dir.toString().endsWith("/") ? dir.toString() : dir + "/";
    int[] removed = {0};
    index.forEachImage(ImageFilter.ALL, r -> {
      if (r.path().startsWith(prefix) && !layout.includes(Path.of(r.path()))) {
        index.delete(r.id());
        removed[0]++;
      }
    });
    return removed[0];
  }

  /** State of one run, shared by the worker threads. */
  private final class Run {
    final Path dir;
    final Layout layout;
    final Map<String, ManifestEntry> manifest;
    final Map<String, DescriptorSpec> catalogue;
    final IndexListener listener;
    final Set<String> wantedKeys = new HashSet<>();
    final List<IndexSummary.Failure> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger indexed = new AtomicInteger();
    final AtomicInteger unchanged = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    /** Held by the thread committing; the others go on indexing meanwhile. */
    final java.util.concurrent.locks.ReentrantLock committing = new java.util.concurrent.locks.ReentrantLock();
    volatile long lastCommitNanos = System.nanoTime();

    Run(Path dir, Layout layout, Map<String, ManifestEntry> manifest, Map<String, DescriptorSpec> catalogue,
        IndexListener listener) {
      this.dir = dir;
      this.layout = layout;
      this.manifest = manifest;
      this.catalogue = catalogue;
      this.listener = listener;
      for (Descriptor d : descriptors) {
        wantedKeys.add(d.spec().key());
      }
    }

    /** A file that needs describing, decoded. */
    private record Pending(Path file, String id, String hash, long size, ImageRecord existing, String split,
        String label, Attribution attribution, DecodedImage image) {}

    void processBatch(List<Path> files) {
      List<Pending> pending = new ArrayList<>();
      for (Path file : files) {
        if (cancelled.get()) {
          return;
        }
        try {
          Pending p = prepare(file);
          if (p == null) {
            finish(file, IndexSummary.Outcome.UNCHANGED);
          } else {
            pending.add(p);
          }
        } catch (ImageDecodeException e) {
          finish(file, fail(file, FailureKind.of(e.reason()), e.getMessage()));
        } catch (IOException e) {
          finish(file, fail(file, FailureKind.CANNOT_READ, "cannot read: " + e.getMessage()));
        } catch (RuntimeException e) {
          // A codec bug on one odd file must not end a run over thousands.
          finish(file, fail(file, FailureKind.UNEXPECTED, "unexpected error: " + e));
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      try {
        storeAll(pending, describeAll(pending));
      } catch (DescriptorUnavailableException modelFailed) {
        throw modelFailed; // not this batch's fault: every image would fail the same way
      } catch (RuntimeException batchFailed) {
        // Find the culprit: describe the batch one image at a time.
        for (Pending p : pending) {
          try {
            storeAll(List.of(p), describeAll(List.of(p)));
          } catch (DescriptorUnavailableException modelFailed) {
            throw modelFailed;
          } catch (RuntimeException e) {
            finish(p.file(), fail(p.file(), FailureKind.CANNOT_DESCRIBE, "cannot describe: "
                + (e.getMessage() == null ? e.toString() : e.getMessage())));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void finish(Path file, IndexSummary.Outcome outcome) {
      done.incrementAndGet();
      listener.fileDone(file, outcome);
      maybeCommit();
    }

    private IndexSummary.Outcome fail(Path file, FailureKind kind, String reason) {
      failures.add(new IndexSummary.Failure(file, kind, reason));
      listener.fileFailed(file, reason);
      return IndexSummary.Outcome.FAILED;
    }

    /** Null when the file is already indexed as it is; else the decoded image to describe. */
    private Pending prepare(Path file) throws IOException, ImageDecodeException {
      String id = idOf(file);
      String relative = dir.relativize(file).toString().replace('\\', '/');
      String split = layout.splitOf(relative);
      String label = layout.labelOf(relative);
      ManifestEntry entry = manifest.get(relative);
      Attribution attribution = entry == null ? null : entry.attribution();
      // Read once: hashed, and decoded when it needs describing.
      byte[] bytes = decoder.read(file);
      String hash = Sha256.hex(bytes);
      ImageRecord existing = index.get(id).orElse(null);
      if (existing != null && hash.equals(existing.contentHash()) && existing.descriptors().containsAll(wantedKeys)
          && Objects.equals(split, existing.split()) && Objects.equals(label, existing.label())
          && Objects.equals(attribution, existing.attribution())) {
        unchanged.incrementAndGet();
        return null;
      }
      return new Pending(file, id, hash, bytes.length, existing, split, label, attribution,
          decoder.decode(bytes, inputSide));
    }

    /**
     * One image's vectors by descriptor name: as floats, or as the unsigned bytes a
     * {@link VectorEncoding#UINT8} descriptor's vectors are stored as (no float copy of raw pixels).
     */
    private record Vectors(Map<String, float[]> floats, Map<String, byte[]> bytes) {}

    private List<Vectors> describeAll(List<Pending> batch) {
      List<BufferedImage> images = batch.stream().map(p -> p.image().image()).toList();
      List<Vectors> vectors = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        vectors.add(new Vectors(new HashMap<>(), new HashMap<>()));
      }
      for (Descriptor d : descriptors) {
        if (d.encoding() == VectorEncoding.UINT8) {
          for (int i = 0; i < batch.size(); i++) {
            vectors.get(i).bytes().put(d.name(), d.describeUnsigned(images.get(i)));
          }
          continue;
        }
        List<float[]> described = d.describeAll(images);
        for (int i = 0; i < batch.size(); i++) {
          vectors.get(i).floats().put(d.name(), described.get(i));
        }
      }
      return vectors;
    }

    private void storeAll(List<Pending> batch, List<Vectors> vectors) throws IOException {
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        Vectors v = vectors.get(i);
        boolean sameContent = p.existing() != null && p.hash().equals(p.existing().contentHash());
        if (sameContent) {
          keepOtherVectors(p.existing(), v);
        }
        Set<String> keys = new HashSet<>();
        for (String name : v.floats().keySet()) {
          keys.add(catalogue.get(name).key());
        }
        for (String name : v.bytes().keySet()) {
          keys.add(catalogue.get(name).key());
        }
        index.upsert(new ImageRecord(p.id(), p.file().toString(), p.hash(), p.size(), p.image().width(),
            p.image().height(), p.split(), p.label(), p.attribution(), keys), v.floats(), v.bytes());
        indexed.incrementAndGet();
        finish(p.file(), IndexSummary.Outcome.INDEXED);
      }
    }

    /** Vectors of descriptors not computed in this run stay, as long as they are still current. */
    private void keepOtherVectors(ImageRecord existing, Vectors vectors) throws IOException {
      for (DescriptorSpec spec : catalogue.values()) {
        if (!vectors.floats().containsKey(spec.name()) && !vectors.bytes().containsKey(spec.name())
            && existing.descriptors().contains(spec.key())) {
          index.vector(existing.id(), spec.name()).ifPresent(v -> vectors.floats().put(spec.name(), v));
        }
      }
    }

    private void maybeCommit() {
      if (System.nanoTime() - lastCommitNanos < COMMIT_EVERY_NANOS || !committing.tryLock()) {
        return;
      }
      try {
        if (System.nanoTime() - lastCommitNanos < COMMIT_EVERY_NANOS) {
          return;
        }
        int n = done.get();
        index.commit();
        lastCommitNanos = System.nanoTime();
        listener.committed(n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        committing.unlock();
      }
    }
  }

  /** Which files to index under a folder, and the split and class each one belongs to. */
  record Layout(Path dir, boolean splitLayout) {

    static Layout of(Path dir) {
      return new Layout(dir, Files.isDirectory(dir.resolve("train")) || Files.isDirectory(dir.resolve("test")));
    }

    /** The folders walked: the whole folder, or its train/ and test/ folders. */
    private List<Path> roots() {
      return splitLayout
          ? List.of(dir.resolve("train"), dir.resolve("test")).stream().filter(Files::isDirectory).toList()
          : List.of(dir);
    }

    /**
     * Calls {@code action} with every image file to index, streaming (Lucene and the file system keep no
     * order we rely on: equal scores rank by image id). Hidden files and folders and folders holding an
     * index are skipped.
     */
    void walk(java.util.function.Consumer<Path> action) throws IOException {
      for (Path r : roots()) {
        Files.walkFileTree(r, Set.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return skipped(r, d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && isImageName(f)) {
                  action.accept(f.toAbsolutePath().normalize());
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
              }
            });
      }
    }

    /** Whether {@link #walk} visits {@code file} (an absolute, normalised path) as things are now. */
    boolean includes(Path file) {
      if (!Files.isRegularFile(file) || !isImageName(file)) {
        return false;
      }
      for (Path r : roots()) {
        if (file.startsWith(r)) {
          for (Path d = file.getParent(); d != null && d.startsWith(r); d = d.getParent()) {
            if (skipped(r, d)) {
              return false;
            }
          }
          return true;
        }
      }
      return false;
    }

    private static boolean skipped(Path root, Path d) {
      boolean hidden = !d.equals(root) && d.getFileName().toString().startsWith(".");
      return hidden || Files.exists(d.resolve(INDEX_MARKER));
    }

    private static boolean isImageName(Path f) {
      return ImageFiles.hasImageExtension(f) && !f.getFileName().toString().startsWith(".");
    }

    /** {@code train} or {@code test} for files in a split layout, else null. */
    String splitOf(String relative) {
      if (!splitLayout) {
        return null;
      }
      int slash = relative.indexOf('/');
      return slash < 0 ? null : relative.substring(0, slash);
    }

    /** The folder right under train/ or test/, else null. */
    String labelOf(String relative) {
      if (!splitLayout) {
        return null;
      }
      String[] parts = relative.split("/");
      return parts.length >= 3 ? parts[1] : null;
    }
  }
}
