package imgsearch.search;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.index.VectorQuery;
import imgsearch.search.InvalidQueryException.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The descriptors of an index that this program can search with, read from the index once
 * ({@link ImageSearcher#catalogue()}): one value serves a whole request (checking its parameters, sizing the
 * query image, resolving the query), so the catalogue, an HTTP call on Solr, is read once per request and
 * each descriptor is built once per change of the catalogue. Immutable.
 */
public final class SearchableDescriptors {

  private final Map<String, DescriptorSpec> indexed;
  /** Name -> descriptor computing the index's vectors, in {@link ImageSearcher#PREFERENCE} order. */
  private final Map<String, Descriptor> searchable;
  private final Map<String, DescriptorSpec> searchableSpecs;
  private final DescriptorRegistry registry;

  private SearchableDescriptors(Map<String, DescriptorSpec> indexed, Map<String, Descriptor> searchable,
      DescriptorRegistry registry) {
    this.indexed = Collections.unmodifiableMap(new LinkedHashMap<>(indexed)); // in the index's order
    this.searchable = searchable;
    this.registry = registry;
    Map<String, DescriptorSpec> specs = new LinkedHashMap<>();
    searchable.keySet().forEach(name -> specs.put(name, indexed.get(name)));
    this.searchableSpecs = specs;
  }

  /** The descriptors of {@code indexed} that {@code registry} can compute, best first. */
  static SearchableDescriptors of(Map<String, DescriptorSpec> indexed, DescriptorRegistry registry) {
    List<String> order = new ArrayList<>(ImageSearcher.PREFERENCE);
    indexed.keySet().stream().filter(name -> !order.contains(name)).forEach(order::add);
    Map<String, Descriptor> searchable = new LinkedHashMap<>();
    for (String name : order) {
      DescriptorSpec spec = indexed.get(name);
      if (spec != null) {
        registry.forSpec(spec).ifPresent(d -> searchable.put(name, d));
      }
    }
    return new SearchableDescriptors(indexed, searchable, registry);
  }

  /** Every descriptor the index holds, searchable here or not (as {@code ImageIndex.descriptors()} read it). */
  public Map<String, DescriptorSpec> indexed() {
    return indexed;
  }

  /** The index's specs of the descriptors this program can compute, best first. */
  public List<DescriptorSpec> specs() {
    return List.copyOf(searchableSpecs.values());
  }

  /** The descriptor that describes queries for the index's {@code name} vectors, if this program can. */
  public Optional<Descriptor> descriptor(String name) {
    return Optional.ofNullable(searchable.get(name));
  }

  /** Whether nothing can be searched yet. */
  public boolean isEmpty() {
    return searchable.isEmpty();
  }

  /**
   * The shorter side a query image is decoded at: the one the index's photos were decoded at, the largest
   * {@link Descriptor#inputSide()} of the searchable descriptors (the indexer decodes each photo once for
   * all of them). A query decoded so gives the very vectors its file got when indexed, whichever descriptor
   * searches.
   */
  public int inputSide() {
    int side = 1;
    for (Descriptor d : searchable.values()) {
      side = Math.max(side, d.inputSide());
    }
    return side;
  }

  /** Whether a searchable descriptor can embed words. */
  public boolean supportsText() {
    return searchable.values().stream().anyMatch(Descriptor::embedsText);
  }

  /**
   * The descriptor used when none is named.
   *
   * @throws InvalidQueryException ({@link Reason#EMPTY_INDEX}) when nothing can be searched yet
   */
  public String defaultDescriptor() {
    if (searchable.isEmpty()) {
      throw new InvalidQueryException(Reason.EMPTY_INDEX,
          "the index holds no searchable descriptor yet: run 'imgsearch index DIR' first");
    }
    return searchable.keySet().iterator().next();
  }

  /**
   * Checks {@code options} against the index and chooses what they leave open: the descriptor (the best, or
   * for words the best text-capable one) and its metric (the descriptor's default, as far as the index's spec
   * offers it).
   *
   * @param forText whether the query is words, which needs a text-capable descriptor
   * @throws InvalidQueryException with the reason: unknown descriptor, one whose vectors this program
   *     cannot compute, one that cannot embed words, a metric the spec does not offer, an empty index
   */
  public ResolvedQuery resolve(SearchOptions options, boolean forText) {
    String name = options.descriptor() != null ? options.descriptor()
        : forText ? firstTextDescriptor() : defaultDescriptor();
    Descriptor d = searchable.get(name);
    if (d == null) {
      DescriptorSpec stale = indexed.get(name);
      if (stale == null) {
        VectorQuery.descriptorIn(searchableSpecs, name); // throws: not in the index
      }
      throw new InvalidQueryException(Reason.STALE_DESCRIPTOR, "the index holds " + stale.title()
          + " vectors, which this program cannot compute ("
          + (registry.contains(name) ? "current: " + registry.create(name).spec().title() : "unknown descriptor")
          + "); re-run 'imgsearch index' to re-describe");
    }
    if (forText && !d.embedsText()) {
      throw cannotEmbedText(name);
    }
    DescriptorSpec spec = indexed.get(name);
    return new ResolvedQuery(d, spec, VectorQuery.metricFor(spec, options.metric(), d.defaultMetric()), options);
  }

  /** The refusal of words for a descriptor that cannot embed them. */
  static InvalidQueryException cannotEmbedText(String name) {
    return new InvalidQueryException(Reason.TEXT_NOT_SUPPORTED, "descriptor '" + name
        + "' cannot search by words; index with a text model such as clip");
  }

  private String firstTextDescriptor() {
    for (Map.Entry<String, Descriptor> e : searchable.entrySet()) {
      if (e.getValue().embedsText()) {
        return e.getKey();
      }
    }
    for (DescriptorSpec spec : indexed.values()) {
      if (registry.contains(spec.name()) && registry.create(spec.name()).embedsText()) {
        throw new InvalidQueryException(Reason.TEXT_NOT_SUPPORTED, "the index's " + spec.title()
            + " vectors were made with other model files than the ones available here ("
            + registry.create(spec.name()).spec().title() + "); re-index with 'imgsearch index DIR --descriptors "
            + spec.name() + "' or point --model-dir at the files it was built with");
      }
    }
    throw new InvalidQueryException(Reason.TEXT_NOT_SUPPORTED, "no indexed descriptor can search by words; index"
        + " with a text model: imgsearch index DIR --descriptors clip");
  }
}
