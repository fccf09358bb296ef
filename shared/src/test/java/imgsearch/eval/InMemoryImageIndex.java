package imgsearch.eval;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** A tiny exact-scan {@link ImageIndex} for tests; safe for concurrent reads once filled. */
final class InMemoryImageIndex implements ImageIndex {

  private static final Comparator<ImageRecord> LISTING_ORDER = Comparator
      .comparing((ImageRecord r) -> String.valueOf(r.split()))
      .thenComparing(r -> String.valueOf(r.label()))
      .thenComparing(ImageRecord::path);

  private final Map<String, DescriptorSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, ImageRecord> images = new ConcurrentHashMap<>();
  private final Map<String, Map<String, float[]>> vectors = new ConcurrentHashMap<>();

  /** Registers a descriptor with the given metrics (version 1, no config). */
  InMemoryImageIndex descriptor(String name, int dimension, Metric... metrics) {
    registerDescriptor(new DescriptorSpec(name, 1, "", dimension, List.of(metrics)));
    return this;
  }

  /** Adds an image {@code /data/<split>/<label>/<id>.jpg} with the given vectors. */
  InMemoryImageIndex image(String id, String split, String label, Map<String, float[]> vectorsByDescriptor) {
    upsert(new ImageRecord(id, "/data/" + split + "/" + label + "/" + id + ".jpg", "hash-" + id, 1000, 32, 32,
        split, label, null, Set.of()), vectorsByDescriptor);
    return this;
  }

  @Override
  public Map<String, DescriptorSpec> descriptors() {
    return new TreeMap<>(specs);
  }

  @Override
  public void registerDescriptor(DescriptorSpec spec) {
    specs.put(spec.name(), spec);
  }

  @Override
  public void upsert(ImageRecord image, Map<String, float[]> vectorsByDescriptor) {
    images.put(image.id(), image);
    vectors.put(image.id(), Map.copyOf(vectorsByDescriptor));
  }

  @Override
  public void delete(String id) {
    images.remove(id);
    vectors.remove(id);
  }

  @Override
  public Optional<ImageRecord> get(String id) {
    return Optional.ofNullable(images.get(id));
  }

  @Override
  public Optional<float[]> vector(String id, String descriptor) {
    return Optional.ofNullable(vectors.getOrDefault(id, Map.of()).get(descriptor)).map(float[]::clone);
  }

  @Override
  public List<SearchHit> search(VectorQuery q) {
    Comparator<SearchHit> bestFirst = Comparator.comparingDouble(SearchHit::score);
    if (q.metric().higherIsBetter()) {
      bestFirst = bestFirst.reversed();
    }
    return images.values().stream()
        .filter(q.filter()::matches)
        .filter(r -> !r.id().equals(q.excludeId()))
        .filter(r -> vectors.get(r.id()).containsKey(q.descriptor()))
        .map(r -> new SearchHit(r, q.metric().score(q.vector(), vectors.get(r.id()).get(q.descriptor()))))
        .sorted(bestFirst.thenComparing(h -> h.image().id()))
        .limit(q.k())
        .toList();
  }

  @Override
  public List<ImageRecord> list(ImageFilter filter, int offset, int limit) {
    return images.values().stream().filter(filter::matches).sorted(LISTING_ORDER).skip(offset).limit(limit).toList();
  }

  @Override
  public int count(ImageFilter filter) {
    return (int) images.values().stream().filter(filter::matches).count();
  }

  @Override
  public Map<String, Map<String, Integer>> counts() {
    return images.values().stream().collect(Collectors.groupingBy(r -> r.split() == null ? "" : r.split(), TreeMap::new,
        Collectors.groupingBy(r -> r.label() == null ? "" : r.label(), TreeMap::new,
            Collectors.summingInt(r -> 1))));
  }

  @Override
  public void refresh() {}

  @Override
  public void commit() {}

  @Override
  public void close() {}
}
