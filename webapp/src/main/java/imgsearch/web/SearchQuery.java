package imgsearch.web;

import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.ResolvedQuery;
import imgsearch.search.SearchOptions;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/**
 * What a search request asked for, checked and resolved against the index's descriptors before any
 * expensive work (decoding an upload, describing, searching). Parameters come from the query string or
 * from the (multipart or url-encoded) form.
 *
 * @param id "more like this" image id, or null
 * @param text words to search for, or null
 * @param resolved the descriptor, metric and options, resolved once for the whole request
 */
record SearchQuery(String id, String text, ResolvedQuery resolved) {

  static final int DEFAULT_K = 10;

  /** The descriptor name as resolved. */
  String descriptor() {
    return resolved.spec().name();
  }

  /** The metric as resolved. */
  Metric metric() {
    return resolved.metric();
  }

  int k() {
    return resolved.options().k();
  }

  boolean exact() {
    return resolved.options().exact();
  }

  /** The same query under another descriptor and metric (the compare page), resolved in the same snapshot. */
  SearchQuery with(DescriptorCatalog.Snapshot catalog, String descriptor, Metric metric) {
    return new SearchQuery(id, text, resolve(catalog, resolved.options().with(descriptor, metric), false));
  }

  /**
   * Reads and checks the parameters and resolves the query; without a descriptor, the best one (for words:
   * the best text-capable one). Reads nothing but the request and {@code catalog}.
   */
  static SearchQuery parse(Context ctx, DescriptorCatalog.Snapshot catalog, int defaultK) {
    String id = param(ctx, "id");
    String text = param(ctx, "text");
    if (text != null && text.length() > 1000) {
      throw RequestError.badRequest("text_too_long", "the text query is longer than 1000 characters; shorten it");
    }
    if (catalog.entries().isEmpty()) {
      throw new RequestError(503, "empty_index",
          "the index holds no searchable images yet: run 'imgsearch index DIR' first, then reload");
    }
    boolean forText = text != null && id == null;
    if (forText && !catalog.supportsText() && catalog.textUnavailable() != null) {
      throw catalog.textUnavailable().refusal();
    }
    if (forText && !catalog.supportsText()) {
      throw RequestError.badRequest("text_not_supported", "searching by words needs a text-capable descriptor such as "
          + "clip, and this index has only " + catalog.names() + "; index with: imgsearch index DIR --descriptors clip");
    }
    String descriptorName = param(ctx, "descriptor");
    if (descriptorName == null) {
      descriptorName = catalog.defaultEntry(forText).orElseThrow().name();
    } else {
      Optional<UnavailableDescriptor> unavailable = catalog.unavailable(descriptorName);
      if (unavailable.isPresent() && (!unavailable.get().textOnly() || forText)) {
        throw unavailable.get().refusal();
      }
      Optional<DescriptorInfo> entry = catalog.find(descriptorName);
      if (forText && entry.isPresent() && !entry.get().text()) {
        throw RequestError.badRequest("text_not_supported", "descriptor '" + descriptorName
            + "' cannot search by words; use one of " + catalog.entries().stream().filter(DescriptorInfo::text)
                .map(DescriptorInfo::name).toList());
      }
    }
    try {
      String metricId = param(ctx, "metric");
      Metric metric = metricId == null ? null : SearchOptions.parseMetric(metricId);
      int k = SearchOptions.parseK(param(ctx, "k"), defaultK);
      boolean exact = parseBoolean(param(ctx, "exact"), "exact");
      SearchOptions options = new SearchOptions(descriptorName, metric, k, exact,
          new ImageFilter(param(ctx, "split"), param(ctx, "class")));
      return new SearchQuery(id, text, resolve(catalog, options, forText));
    } catch (InvalidQueryException e) {
      throw RequestError.of(e);
    }
  }

  private static ResolvedQuery resolve(DescriptorCatalog.Snapshot catalog, SearchOptions options, boolean forText) {
    try {
      return catalog.searchable().resolve(options, forText);
    } catch (InvalidQueryException e) {
      throw RequestError.of(e);
    }
  }

  private static boolean parseBoolean(String value, String name) {
    if (value == null) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "on", "1", "yes" -> true;
      case "false", "off", "0", "no" -> false;
      default -> throw RequestError.badRequest("bad_" + name, name + " must be true or false, was '"
          + abbreviate(value) + "'");
    };
  }

  /** A parameter from the query string, else from the form; blank counts as absent. */
  static String param(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null && isForm(ctx)) {
      value = ctx.formParam(name);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null && (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded"));
  }

  static String abbreviate(String s) {
    return InvalidQueryException.abbreviate(s);
  }
}
