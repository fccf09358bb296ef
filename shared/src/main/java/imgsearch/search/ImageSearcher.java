package imgsearch.search;

import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.index.ImageIndex;
import imgsearch.search.InvalidQueryException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Query by example, by indexed image or by words over an {@link ImageIndex}. Queries are described
 * with the same descriptor spec (version and config) that the index was built with.
 *
 * <p>A request reads the index's descriptors once ({@link #catalogue()}), checks and resolves its query
 * against them ({@link SearchableDescriptors#resolve}), and searches with the {@link ResolvedQuery}; the
 * methods taking {@link SearchOptions} do the same in one call.
 */
public final class ImageSearcher {

  /**
   * Descriptors tried in this order when the caller names none: the strongest general-purpose first.
   * Names not registered or not indexed are skipped.
   */
  public static final List<String> PREFERENCE = List.of("clip", "resnet50", "edge-colour", "hsv-hist", "pixels");

  private final ImageIndex index;
  private final DescriptorRegistry registry;
  /** The last catalogue read, reused (descriptors and all) while the index's descriptors stay the same. */
  private volatile SearchableDescriptors catalogue;

  public ImageSearcher(ImageIndex index, DescriptorRegistry registry) {
    this.index = index;
    this.registry = registry;
  }

  public ImageIndex index() {
    return index;
  }

  /**
   * The index's descriptors as this program can search them: one read of {@link ImageIndex#descriptors()};
   * the descriptors are built again only when those change (an indexing run may add one while we serve).
   */
  public SearchableDescriptors catalogue() throws IOException {
    Map<String, DescriptorSpec> indexed = index.descriptors();
    SearchableDescriptors known = catalogue;
    if (known == null || !known.indexed().equals(indexed)) {
      known = SearchableDescriptors.of(indexed, registry);
      catalogue = known;
    }
    return known;
  }

  /** Descriptors that are both in the index and computable here, in preference order. */
  public List<DescriptorSpec> searchableDescriptors() throws IOException {
    return catalogue().specs();
  }

  /** The descriptor used when none is named. */
  public String defaultDescriptor() throws IOException {
    return catalogue().defaultDescriptor();
  }

  /**
   * The shorter side a query image is decoded at ({@link SearchableDescriptors#inputSide()}): it depends on
   * the index only, not on the descriptor a query names.
   */
  public int inputSide() throws IOException {
    return catalogue().inputSide();
  }

  /** Whether any indexed descriptor can embed text. */
  public boolean supportsText() throws IOException {
    return catalogue().supportsText();
  }

  /** Images like the given one: decoded at the size the descriptor needs ({@link #inputSide}). */
  public SearchResults byImage(BufferedImage image, SearchOptions options) throws IOException {
    return byImage(image, catalogue().resolve(options, false));
  }

  /** Images like the given one, decoded at {@link SearchableDescriptors#inputSide()}. */
  public SearchResults byImage(BufferedImage image, ResolvedQuery q) throws IOException {
    long start = System.nanoTime();
    return run(q, q.descriptor().describe(image), null, start);
  }

  /** Images like an indexed one, itself excluded. */
  public SearchResults byId(String id, SearchOptions options) throws IOException {
    return byId(id, catalogue().resolve(options, false));
  }

  /** Images like an indexed one, itself excluded. */
  public SearchResults byId(String id, ResolvedQuery q) throws IOException {
    long start = System.nanoTime();
    float[] vector = index.vector(id, q.spec()).orElseThrow(() -> new InvalidQueryException(Reason.UNKNOWN_ID,
        "no image with id '" + id + "' has a " + q.spec().name() + " vector in the index"));
    return run(q, vector, id, start);
  }

  /** Images matching words; needs a text-capable descriptor such as CLIP. */
  public SearchResults byText(String text, SearchOptions options) throws IOException {
    return byText(text, catalogue().resolve(options, true));
  }

  /** Images matching words; the query must have been resolved for words. */
  public SearchResults byText(String text, ResolvedQuery q) throws IOException {
    if (!q.descriptor().embedsText()) {
      throw SearchableDescriptors.cannotEmbedText(q.spec().name());
    }
    long start = System.nanoTime();
    return run(q, q.descriptor().describeText(text), null, start);
  }

  private SearchResults run(ResolvedQuery q, float[] vector, String excludeId, long start) throws IOException {
    var hits = index.search(q.vectorQuery(vector, excludeId));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    return new SearchResults(hits, q.spec().name(), q.metric(), q.options().exact(), tookMs);
  }
}
