package imgsearch.search;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageIndex;
import imgsearch.index.VectorQuery;
import imgsearch.search.InvalidQueryException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Query by example, by indexed image or by words over an {@link ImageIndex}. Queries are described
 * with the same descriptor spec (version and config) that the index was built with.
 */
public final class ImageSearcher {

  /**
   * Descriptors tried in this order when the caller names none: the strongest general-purpose first.
   * Names not registered or not indexed are skipped.
   */
  public static final List<String> PREFERENCE = List.of("clip", "resnet50", "edge-colour", "hsv-hist", "pixels");

  private final ImageIndex index;
  private final DescriptorRegistry registry;

  public ImageSearcher(ImageIndex index, DescriptorRegistry registry) {
    this.index = index;
    this.registry = registry;
  }

  public ImageIndex index() {
    return index;
  }

  /** Descriptors that are both in the index and computable here, in preference order. */
  public List<DescriptorSpec> searchableDescriptors() throws IOException {
    Map<String, DescriptorSpec> indexed = index.descriptors();
    List<DescriptorSpec> out = new ArrayList<>();
    for (String name : PREFERENCE) {
      DescriptorSpec spec = indexed.get(name);
      if (spec != null && registry.forSpec(spec).isPresent()) {
        out.add(spec);
      }
    }
    for (DescriptorSpec spec : indexed.values()) {
      if (!out.contains(spec) && registry.forSpec(spec).isPresent()) {
        out.add(spec);
      }
    }
    return out;
  }

  /** The descriptor used when none is named. */
  public String defaultDescriptor() throws IOException {
    List<DescriptorSpec> specs = searchableDescriptors();
    if (specs.isEmpty()) {
      throw new InvalidQueryException(Reason.EMPTY_INDEX,
          "the index holds no searchable descriptor yet: run 'imgsearch index DIR' first");
    }
    return specs.get(0).name();
  }

  /**
   * The shorter side a query image is decoded at: the one the index's photos were decoded at, the largest
   * {@link Descriptor#inputSide()} of its searchable descriptors (the indexer decodes each photo once for
   * all of them). A query decoded so gives the very vectors its file got when indexed. Depends on the
   * index only, so the options are accepted for callers that search one descriptor.
   */
  public int inputSide(SearchOptions options) throws IOException {
    int side = 1;
    for (DescriptorSpec spec : searchableDescriptors()) {
      side = Math.max(side, registry.forSpec(spec).map(Descriptor::inputSide).orElse(ImageDecoder.FULL_SIZE));
    }
    return side;
  }

  /** Images like the given one: decoded at the size the descriptor needs ({@link #inputSide}). */
  public SearchResults byImage(BufferedImage image, SearchOptions options) throws IOException {
    long start = System.nanoTime();
    Resolved r = resolve(options, false);
    float[] vector = r.descriptor.describe(image);
    return run(r, vector, options, null, start);
  }

  /** Images like an indexed one, itself excluded. */
  public SearchResults byId(String id, SearchOptions options) throws IOException {
    long start = System.nanoTime();
    Resolved r = resolve(options, false);
    float[] vector = index.vector(id, r.descriptor.name()).orElseThrow(() -> new InvalidQueryException(
        Reason.UNKNOWN_ID, "no image with id '" + id + "' has a " + r.descriptor.name() + " vector in the index"));
    return run(r, vector, options, id, start);
  }

  /** Images matching words; needs a text-capable descriptor such as CLIP. */
  public SearchResults byText(String text, SearchOptions options) throws IOException {
    long start = System.nanoTime();
    Resolved r = resolve(options, true);
    return run(r, r.descriptor.describeText(text), options, null, start);
  }

  /** Whether any indexed descriptor can embed text. */
  public boolean supportsText() throws IOException {
    for (DescriptorSpec spec : searchableDescriptors()) {
      if (registry.forSpec(spec).map(Descriptor::embedsText).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private SearchResults run(Resolved r, float[] vector, SearchOptions o, String excludeId, long start)
      throws IOException {
    var hits = index.search(new VectorQuery(r.spec, r.metric, vector, o.k(), o.exact(), o.filter(), excludeId));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    return new SearchResults(hits, r.descriptor.name(), r.metric, o.exact(), tookMs);
  }

  private record Resolved(Descriptor descriptor, DescriptorSpec spec, Metric metric) {}

  private Resolved resolve(SearchOptions o, boolean needsText) throws IOException {
    String name = o.descriptor();
    if (name == null) {
      name = needsText ? firstTextDescriptor() : defaultDescriptor();
    }
    DescriptorSpec spec = VectorQuery.descriptorIn(index.descriptors(), name);
    final String wanted = name;
    Descriptor d = registry.forSpec(spec).orElseThrow(() -> new InvalidQueryException(Reason.STALE_DESCRIPTOR,
        "the index holds " + spec.label() + " vectors, which this program cannot compute ("
            + (registry.contains(wanted) ? "current: " + registry.create(wanted).spec().label() : "unknown descriptor")
            + "); re-run 'imgsearch index' to re-describe"));
    if (needsText && !d.embedsText()) {
      throw new InvalidQueryException(Reason.TEXT_NOT_SUPPORTED, "descriptor '" + name + "' cannot search by words; index with a text model such as clip");
    }
    return new Resolved(d, spec, VectorQuery.metricFor(spec, o.metric(), d.defaultMetric()));
  }

  private String firstTextDescriptor() throws IOException {
    for (DescriptorSpec spec : searchableDescriptors()) {
      if (registry.forSpec(spec).map(Descriptor::embedsText).orElse(false)) {
        return spec.name();
      }
    }
    for (DescriptorSpec spec : index.descriptors().values()) {
      if (registry.contains(spec.name()) && registry.create(spec.name()).embedsText()) {
        throw new InvalidQueryException(Reason.TEXT_NOT_SUPPORTED, "the index's " + spec.label() + " vectors were made with other model files"
            + " than the ones available here (" + registry.create(spec.name()).spec().label() + "); re-index with"
            + " 'imgsearch index DIR --descriptors " + spec.name() + "' or point --model-dir at the files it was built with");
      }
    }
    throw new InvalidQueryException(Reason.TEXT_NOT_SUPPORTED, "no indexed descriptor can search by words; index with a text model: "
        + "imgsearch index DIR --descriptors clip");
  }
}
