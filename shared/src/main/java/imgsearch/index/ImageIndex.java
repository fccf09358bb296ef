package imgsearch.index;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.VectorEncoding;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A searchable store of images and their descriptor vectors. The command line, the web app and the
 * evaluation only talk to this interface, so the backend (embedded Lucene, a search cluster) can change
 * without them knowing.
 *
 * <p>Writes become visible to searches on the same instance after {@link #refresh()} or
 * {@link #commit()}; {@link #commit()} makes them durable, so an interrupted indexing run loses at most
 * the work since the last commit.
 */
public interface ImageIndex extends Closeable {

  /** The descriptors this index holds vectors for, by name. */
  Map<String, DescriptorSpec> descriptors() throws IOException;

  /**
   * The spec of one descriptor this index holds (one read of {@link #descriptors()}), to make a
   * {@link VectorQuery} with.
   *
   * @throws imgsearch.search.InvalidQueryException when the index holds no such descriptor
   */
  default DescriptorSpec descriptor(String name) throws IOException {
    return VectorQuery.descriptorIn(descriptors(), name);
  }

  /**
   * Records that vectors of {@code spec} are (to be) stored. Replacing a spec with an incompatible one
   * (other version, config or dimension) is allowed: images described under the old spec then no
   * longer count as described by it, and the indexer re-describes them.
   */
  void registerDescriptor(DescriptorSpec spec) throws IOException;

  /**
   * Like {@link #registerDescriptor(DescriptorSpec)}, choosing how the descriptor's HNSW graph stores its
   * vectors (descriptors searched by exact scans ignore it). {@code null} keeps the stored choice, or for
   * a descriptor new to the index takes the backend's default. Changing the quantization of a descriptor
   * that already has vectors rewrites them in the new form from the stored float vectors (no image is
   * described again) or, where a backend cannot, fails with a message saying what to do.
   *
   * @throws IllegalArgumentException when the backend does not offer {@code quantization}; nothing is changed
   */
  default void registerDescriptor(DescriptorSpec spec, Quantization quantization) throws IOException {
    if (quantization != null && quantization != Quantization.NONE) {
      throw new IllegalArgumentException(this + " stores float32 graphs only (quantization "
          + Quantization.NONE.id() + "); quantized graphs need the embedded Lucene index");
    }
    registerDescriptor(spec);
  }

  /** What the index holds and how it stores it (for {@code imgsearch info} and the health check). */
  default IndexInfo info() throws IOException {
    java.util.List<IndexInfo.Descriptor> out = new java.util.ArrayList<>();
    for (DescriptorSpec spec : descriptors().values()) {
      out.add(new IndexInfo.Descriptor(spec, java.util.List.of(), null, -1, -1));
    }
    return new IndexInfo(toString(), getClass().getSimpleName(), count(ImageFilter.ALL), -1, out);
  }

  /** Adds or replaces one image (by id) with its vectors, keyed by descriptor name. */
  void upsert(ImageRecord image, Map<String, float[]> vectors) throws IOException;

  /**
   * As {@link #upsert(ImageRecord, Map)}, with the vectors of {@link VectorEncoding#UINT8}
   * descriptors given as the unsigned bytes they are stored as ({@code byteVectors}; a descriptor is in one
   * map or the other). The default widens them to floats; a backend that stores bytes takes them as they are.
   */
  default void upsert(ImageRecord image, Map<String, float[]> vectors, Map<String, byte[]> byteVectors)
      throws IOException {
    Map<String, float[]> all = new HashMap<>(vectors);
    byteVectors.forEach((name, v) -> all.put(name, VectorEncoding.fromUnsignedBytes(v)));
    upsert(image, all);
  }

  /** Removes an image; no-op when absent. */
  void delete(String id) throws IOException;

  /** The image with this id, if indexed. */
  Optional<ImageRecord> get(String id) throws IOException;

  /** The stored vector of one image for one descriptor, if present. */
  Optional<float[]> vector(String id, String descriptor) throws IOException;

  /**
   * The stored vector of one image under {@code spec} (one of {@link #descriptors()}), if present. Backends
   * read it without looking the spec up in their catalogue again; the default looks it up by name.
   */
  default Optional<float[]> vector(String id, DescriptorSpec spec) throws IOException {
    return vector(id, spec.name());
  }

  /**
   * Nearest neighbours, best first (equal scores by image id). The query was checked against its spec when
   * it was made; the index searches that spec's fields without reading its catalogue again.
   */
  List<SearchHit> search(VectorQuery query) throws IOException;

  /** Images matching the filter in a stable order (split, class, path), for browsing and evaluation. */
  List<ImageRecord> list(ImageFilter filter, int offset, int limit) throws IOException;

  /**
   * Calls {@code action} for every image matching the filter, in no particular order. The Lucene and Solr
   * backends hold only a page of images at a time, so walking a collection of millions needs no memory per
   * image. The action may delete images; the walk does not see images added meanwhile. The default (for
   * small in-memory indexes) reads every record through {@link #list} first.
   */
  default void forEachImage(ImageFilter filter, ImageAction action) throws IOException {
    int page = 1000;
    List<ImageRecord> all = new java.util.ArrayList<>();
    for (int offset = 0; ; offset += page) {
      List<ImageRecord> records = list(filter, offset, page);
      all.addAll(records); // a snapshot first: deleting while paging by offset would skip images
      if (records.size() < page) {
        break;
      }
    }
    for (ImageRecord r : all) {
      action.accept(r);
    }
  }

  /** What {@link #forEachImage} does with each image. */
  @FunctionalInterface
  interface ImageAction {
    void accept(ImageRecord image) throws IOException;
  }

  /** How many images match the filter. */
  int count(ImageFilter filter) throws IOException;

  /** Number of images per split and class: split -> class -> count (the empty string stands for "none"). */
  Map<String, Map<String, Integer>> counts() throws IOException;

  /**
   * Makes recent writes visible to searches without making them durable; on an index opened for reading
   * only, picks up the latest commit of the process writing it.
   */
  void refresh() throws IOException;

  /** Makes every write so far durable and visible. */
  void commit() throws IOException;

  /**
   * Writes out one part of what is buffered in memory for the next commit, on the calling thread, so that
   * several threads can share work a {@link #commit} would do on one; false when nothing was left to write.
   * Nothing becomes durable before the commit. Backends that buffer nothing of their own return false.
   */
  default boolean writeBuffered() throws IOException {
    return false;
  }

  /**
   * Commits, then reorganises the index for the fastest searches (Lucene: merges it into one segment);
   * slow on a large index. Backends without such a step just commit.
   */
  default void optimize() throws IOException {
    commit();
  }
}
