package imgsearch.web;

import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.VectorQuery;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.SearchOptions;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a search request asked for, validated against the descriptors of the index. Parameters come from
 * the query string or from the (multipart or url-encoded) form.
 *
 * @param id "more like this" image id, or null
 * @param text words to search for, or null
 * @param descriptor descriptor name as resolved (never null once parsed)
 * @param metric metric as resolved (never null once parsed)
 * @param k number of results
 * @param exact force an exact scan
 * @param split restrict results to a split, or null
 * @param label restrict results to a class, or null
 */
record SearchQuery(String id, String text, String descriptor, Metric metric, int k, boolean exact, String split,
    String label) {

  static final int DEFAULT_K = 10;
  static final int MAX_K = SearchOptions.MAX_K;

  SearchOptions options() {
    return new SearchOptions(descriptor, metric, k, exact, new ImageFilter(split, label));
  }

  SearchQuery with(String newDescriptor, Metric newMetric, int newK) {
    return new SearchQuery(id, text, newDescriptor, newMetric, newK, exact, split, label);
  }

  /** Reads and checks the parameters; without a descriptor, the best one (for words: the best text-capable one). */
  static SearchQuery parse(Context ctx, DescriptorCatalog catalog, int defaultK) throws IOException {
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
    if (forText && !catalog.supportsText() && catalog.textUnavailable().isPresent()) {
      throw catalog.textUnavailable().get().refusal();
    }
    if (forText && !catalog.supportsText()) {
      throw RequestError.badRequest("text_not_supported", "searching by words needs a text-capable descriptor such as "
          + "clip, and this index has only " + catalog.names() + "; index with: imgsearch index DIR --descriptors clip");
    }
    String descriptorName = param(ctx, "descriptor");
    DescriptorInfo entry;
    if (descriptorName == null) {
      entry = catalog.defaultEntry(forText).orElseThrow();
    } else {
      List<String> known = catalog.names();
      Optional<UnavailableDescriptor> unavailable = catalog.unavailable(descriptorName);
      if (unavailable.isPresent() && (!unavailable.get().textOnly() || forText)) {
        throw unavailable.get().refusal();
      }
      entry = catalog.find(descriptorName).orElseThrow(() -> RequestError.badRequest("unknown_descriptor",
          "unknown descriptor '" + abbreviate(descriptorName) + "'; this index can search with " + known));
      if (forText && !entry.text()) {
        throw RequestError.badRequest("text_not_supported", "descriptor '" + descriptorName
            + "' cannot search by words; use one of " + catalog.entries().stream().filter(DescriptorInfo::text)
                .map(DescriptorInfo::name).toList());
      }
    }
    String metricId = param(ctx, "metric");
    Metric metric;
    try {
      metric = VectorQuery.metricFor(catalog.spec(entry.name()),
          metricId == null ? null : SearchOptions.parseMetric(metricId), null);
    } catch (InvalidQueryException e) {
      throw RequestError.of(e);
    }
    int k = parseK(param(ctx, "k"), defaultK);
    boolean exact = parseBoolean(param(ctx, "exact"), "exact");
    return new SearchQuery(id, text, entry.name(), metric, k, exact, param(ctx, "split"), param(ctx, "class"));
  }

  static int parseK(String value, int defaultK) {
    if (value == null) {
      return defaultK;
    }
    int k;
    try {
      k = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw RequestError.badRequest("bad_k", "k must be a whole number between 1 and " + MAX_K + ", was '"
          + abbreviate(value) + "'");
    }
    if (k < 1 || k > MAX_K) {
      throw RequestError.badRequest("bad_k", "k must be between 1 and " + MAX_K + ", was " + k);
    }
    return k;
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
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
