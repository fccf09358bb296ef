package imgsearch.index.solr;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a SolrCloud-backed index lives, as written on the command line:
 * {@code solr://HOST:PORT[,HOST:PORT...]/COLLECTION[?shards=N&replicas=N&rerank=N]}.
 *
 * <p>{@code solrs://} means HTTPS. Every listed node is tried in turn when one is down; the cluster's other
 * live nodes are learned from the first one reached, so one host is enough. The Solr web context is
 * {@code /solr}; a path of two segments ({@code /CONTEXT/COLLECTION}) names another one.
 *
 * @param baseUrls node URLs such as {@code http://127.0.0.1:8983/solr}, in the order given
 * @param collection the collection holding the images; created on first use when missing
 * @param shards shards of a newly created collection; 0 picks one per live node
 * @param replicas replicas per shard of a newly created collection; 0 picks two when there are two live
 *     nodes or more, else one
 * @param rerank how many candidates exact-only metrics (L1, chi-squared) rerank: collections (after
 *     filtering) up to this size are scanned completely, so their results are exact
 */
public record SolrIndexLocation(List<String> baseUrls, String collection, int shards, int replicas, int rerank) {

  /** Candidates reranked for exact-only metrics when the URI does not say. */
  public static final int DEFAULT_RERANK = 1000;

  private static final Pattern COLLECTION_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final String EXAMPLE = "solr://127.0.0.1:8983/imgsearch";

  public SolrIndexLocation {
    baseUrls = List.copyOf(baseUrls);
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("a Solr index location needs at least one node URL");
    }
    if (collection == null || !COLLECTION_NAME.matcher(collection).matches()) {
      throw new IllegalArgumentException("'" + collection + "' is not a valid Solr collection name: use letters, "
          + "digits, '.', '_' and '-', e.g. " + EXAMPLE);
    }
    if (shards < 0 || replicas < 0 || rerank < 1) {
      throw new IllegalArgumentException("shards and replicas must be >= 0 (0: automatic) and rerank >= 1");
    }
  }

  /** Whether {@code location} is a Solr URI ({@code solr://} or {@code solrs://}) rather than a folder. */
  public static boolean isSolrUri(String location) {
    if (location == null) {
      return false;
    }
    String lower = location.trim().toLowerCase(Locale.ROOT);
    return lower.startsWith("solr://") || lower.startsWith("solrs://");
  }

  /**
   * Opens the index at a Solr URI for indexing, creating its collection when missing. Credentials for a
   * cluster with basic authentication come from the environment variables {@code IMGSEARCH_SOLR_USER}
   * and {@code IMGSEARCH_SOLR_PASSWORD}, never from the URI (which ends up in logs and shell history).
   *
   * @throws IllegalArgumentException when the URI is malformed
   * @throws imgsearch.index.IndexUnavailableException when no listed node can be reached
   */
  public static SolrImageIndex open(String uri) throws IOException {
    return SolrImageIndex.open(parse(uri), SolrImageIndex.Credentials.fromEnvironment());
  }

  /**
   * Opens the index at a Solr URI for searching: like {@link #open(String)}, but a missing collection is
   * an {@link imgsearch.index.IndexUnavailableException} telling the user to index first.
   */
  public static SolrImageIndex openExisting(String uri) throws IOException {
    return SolrImageIndex.openExisting(parse(uri), SolrImageIndex.Credentials.fromEnvironment());
  }

  /** Parses a Solr URI; see the class comment for its form. */
  public static SolrIndexLocation parse(String uri) {
    if (!isSolrUri(uri)) {
      throw new IllegalArgumentException("not a Solr index URI: '" + uri + "'; expected e.g. " + EXAMPLE);
    }
    String trimmed = uri.trim();
    int schemeEnd = trimmed.indexOf("://");
    String httpScheme = trimmed.substring(0, schemeEnd).equalsIgnoreCase("solrs") ? "https" : "http";
    String rest = trimmed.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("the Solr URI '" + uri + "' names no collection; expected e.g. " + EXAMPLE);
    }
    String hosts = rest.substring(0, slash);
    if (hosts.contains("@")) {
      throw new IllegalArgumentException("put no credentials in the Solr URI; set IMGSEARCH_SOLR_USER and "
          + "IMGSEARCH_SOLR_PASSWORD instead");
    }
    String pathAndQuery = rest.substring(slash);
    URI parsed;
    try {
      parsed = new URI(httpScheme + "://placeholder" + pathAndQuery);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the Solr URI '" + uri + "' is malformed: " + e.getMessage()
          + "; expected e.g. " + EXAMPLE, e);
    }
    String[] segments = parsed.getPath().replaceAll("^/+|/+$", "").split("/+");
    String context;
    String collection;
    if (segments.length == 1) {
      context = "solr";
      collection = segments[0];
    } else if (segments.length == 2) {
      context = segments[0];
      collection = segments[1];
    } else {
      throw new IllegalArgumentException("the Solr URI '" + uri + "' should end in /COLLECTION or "
          + "/CONTEXT/COLLECTION, e.g. " + EXAMPLE);
    }
    List<String> baseUrls = new ArrayList<>();
    for (String host : hosts.split(",")) {
      String h = host.trim();
      if (h.isEmpty()) {
        continue;
      }
      if (!h.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:\\d{1,5})?")) {
        throw new IllegalArgumentException("'" + h + "' in the Solr URI '" + uri + "' is not HOST or HOST:PORT");
      }
      if (!h.matches(".*:\\d{1,5}")) {
        h = h + ":8983";
      }
      baseUrls.add(httpScheme + "://" + h + "/" + context);
    }
    Map<String, String> params = queryParams(parsed.getRawQuery(), uri);
    int shards = intParam(params, "shards", 0, uri);
    int replicas = intParam(params, "replicas", 0, uri);
    int rerank = intParam(params, "rerank", DEFAULT_RERANK, uri);
    if (!params.isEmpty()) {
      throw new IllegalArgumentException("unknown parameter(s) " + params.keySet() + " in the Solr URI '" + uri
          + "'; known: shards, replicas, rerank");
    }
    return new SolrIndexLocation(baseUrls, collection, shards, replicas, rerank);
  }

  private static Map<String, String> queryParams(String rawQuery, String uri) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("parameter '" + pair + "' in the Solr URI '" + uri + "' is not NAME=VALUE");
      }
      params.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
    }
    return params;
  }

  private static int intParam(Map<String, String> params, String name, int fallback, String uri) {
    String value = params.remove(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + value + " in the Solr URI '" + uri + "' is not a number", e);
    }
  }

  /** The URI form, e.g. {@code solr://127.0.0.1:8983/imgsearch}, for messages. */
  @Override
  public String toString() {
    StringBuilder hosts = new StringBuilder();
    String scheme = "solr";
    String context = "solr";
    for (String url : baseUrls) {
      URI u = URI.create(url);
      scheme = u.getScheme().equals("https") ? "solrs" : "solr";
      context = u.getPath().replaceAll("^/+|/+$", "");
      hosts.append(hosts.isEmpty() ? "" : ",").append(u.getAuthority());
    }
    return scheme + "://" + hosts + (context.equals("solr") ? "" : "/" + context) + "/" + collection;
  }
}
