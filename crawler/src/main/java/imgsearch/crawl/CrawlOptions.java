package imgsearch.crawl;

import imgsearch.crawl.clean.CleaningOptions;
import imgsearch.crawl.download.DownloadSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a crawl needs. Build one with {@link #builder(List, Path)}; every setting has a sensible default.
 *
 * @param terms search terms, one class each
 * @param out the collection folder (DATA)
 * @param perTerm how many kept images each class should have in the end (existing ones count)
 * @param source where candidates come from
 * @param testRatio share of each class that goes to {@code test/}
 * @param seed seed of the deterministic split
 * @param flickr Flickr API settings (key, endpoint, licences, paging)
 * @param feedEndpoint the keyless public feed's URL
 * @param web settings of the web source
 * @param download HTTP limits for every download
 * @param cleaning what is dropped as unusable or duplicate
 * @param retry how often and how patiently API calls and downloads are retried
 */
public record CrawlOptions(
    List<String> terms,
    Path out,
    int perTerm,
    SourceKind source,
    double testRatio,
    long seed,
    FlickrSettings flickr,
    URI feedEndpoint,
    WebSettings web,
    DownloadSettings download,
    CleaningOptions cleaning,
    RetrySettings retry) {

  /** Flickr's REST endpoint. */
  public static final URI DEFAULT_FLICKR_ENDPOINT = URI.create("https://api.flickr.com/services/rest/");
  /** Flickr's keyless public photo feed. */
  public static final URI DEFAULT_FEED_ENDPOINT = URI.create("https://www.flickr.com/services/feeds/photos_public.gne");

  public CrawlOptions {
    terms = List.copyOf(terms);
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("no search terms given: pass --terms \"red fox, lighthouse\" or --terms-file FILE");
    }
    Map<String, String> bySlug = new LinkedHashMap<>();
    for (String t : terms) {
      if (t.isBlank()) {
        throw new IllegalArgumentException("a search term is empty");
      }
      String other = bySlug.putIfAbsent(ClassNames.slug(t), t);
      if (other != null) {
        throw new IllegalArgumentException("terms '" + other + "' and '" + t + "' would share the class folder '"
            + ClassNames.slug(t) + "': drop one of them");
      }
    }
    if (perTerm < 1) {
      throw new IllegalArgumentException("--per-term must be at least 1, got " + perTerm);
    }
    if (!(testRatio >= 0 && testRatio < 1)) {
      throw new IllegalArgumentException("--test-ratio must be in [0, 1), got " + testRatio);
    }
    if (source == SourceKind.FLICKR && (flickr.apiKey() == null || flickr.apiKey().isBlank())) {
      throw new IllegalArgumentException("the flickr source needs an API key: set FLICKR_API_KEY, or use --source flickr-feed");
    }
    if (source == SourceKind.WEB && web.seedUrls().isEmpty()) {
      throw new IllegalArgumentException("the web source needs at least one --seed-url");
    }
  }

  /** The class folder name of each term, in the order of the terms. */
  public Map<String, String> classNames() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String t : terms) {
      m.put(t, ClassNames.slug(t));
    }
    return m;
  }

  /**
   * Flickr API settings.
   *
   * @param apiKey the API key, or null; never printed ({@link #toString()} hides it)
   * @param apiSecret the API secret, or null (searches are unsigned and do not need it)
   * @param endpoint REST endpoint, e.g. {@code https://api.flickr.com/services/rest/}
   * @param licenses licence ids allowed, or null for every reusable licence (all but 0, all rights reserved)
   * @param perPage results per search page (Flickr allows at most 500)
   * @param resultCap results one search can reach before Flickr stops paging (4,000); past it the search is
   *     split by upload-date windows
   * @param callsPerHour API calls allowed per hour (Flickr's limit is 3,600 per key)
   */
  public record FlickrSettings(String apiKey, String apiSecret, URI endpoint, Set<String> licenses, int perPage,
      int resultCap, int callsPerHour) {

    public FlickrSettings {
      licenses = licenses == null ? null : Set.copyOf(licenses);
      if (perPage < 1 || perPage > 500) {
        throw new IllegalArgumentException("Flickr per-page must be in 1..500, got " + perPage);
      }
      if (resultCap < 1 || callsPerHour < 1) {
        throw new IllegalArgumentException("Flickr result cap and calls per hour must be positive");
      }
    }

    /** Default settings with the given key (which may be null). */
    public static FlickrSettings defaults(String apiKey, String apiSecret) {
      return new FlickrSettings(apiKey, apiSecret, DEFAULT_FLICKR_ENDPOINT, null, 100, 4000, 3000);
    }

    @Override
    public String toString() {
      return "FlickrSettings[apiKey=" + (apiKey == null ? "none" : "(hidden)") + ", apiSecret="
          + (apiSecret == null ? "none" : "(hidden)") + ", endpoint=" + endpoint + ", licenses=" + licenses
          + ", perPage=" + perPage + ", resultCap=" + resultCap + ", callsPerHour=" + callsPerHour + "]";
    }
  }

  /**
   * Web source settings.
   *
   * @param seedUrls start pages; {@code {term}} in a URL is replaced by the URL-encoded term
   * @param depth how many links away from a seed page pages are still read (0: the seeds only)
   * @param politeness least time between two requests to one host (robots.txt Crawl-delay may raise it)
   * @param maxPages pages read per term at most
   */
  public record WebSettings(List<String> seedUrls, int depth, Duration politeness, int maxPages) {
    public WebSettings {
      seedUrls = List.copyOf(seedUrls);
      if (depth < 0 || maxPages < 1 || politeness.isNegative()) {
        throw new IllegalArgumentException("web depth, max pages and politeness delay must not be negative");
      }
    }

    public static WebSettings defaults(List<String> seedUrls) {
      return new WebSettings(seedUrls, 1, Duration.ofSeconds(1), 200);
    }
  }

  /**
   * Retries of calls that failed in a way that may pass: Flickr API calls, and every download (images, feed,
   * pages, robots.txt) that met a timeout, a broken connection, a 5xx, a 408 or a 429.
   *
   * @param attempts tries in all, at least 1
   * @param firstBackoff wait before the second try; doubled for each further one
   * @param maxBackoff longest wait between two tries of a download
   * @param maxRetryAfter longest wait a server's Retry-After header may ask for; a longer one is cut to this
   */
  public record RetrySettings(int attempts, Duration firstBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetrySettings {
      if (attempts < 1 || firstBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
        throw new IllegalArgumentException("retry attempts must be at least 1 and waits not negative");
      }
    }

    /** {@code attempts} tries, waits from {@code firstBackoff} up to 30 s, Retry-After honoured up to 60 s. */
    public RetrySettings(int attempts, Duration firstBackoff) {
      this(attempts, firstBackoff, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public static RetrySettings defaults() {
      return new RetrySettings(4, Duration.ofSeconds(2));
    }

    /**
     * How long to wait after failed try number {@code failedAttempt} (1 for the first) of a download: what the
     * server asked for when it sent Retry-After (capped), else {@code firstBackoff * 2^(failedAttempt - 1)}
     * (capped) with "equal jitter", half of it fixed and half random, so that many downloads that failed
     * together do not all come back at the same moment.
     */
    public Duration downloadBackoff(int failedAttempt, Duration retryAfter, java.util.Random jitter) {
      if (retryAfter != null) {
        return retryAfter.isNegative() ? Duration.ZERO : min(retryAfter, maxRetryAfter);
      }
      Duration base = firstBackoff;
      for (int i = 1; i < failedAttempt && base.compareTo(maxBackoff) < 0; i++) {
        base = base.multipliedBy(2);
      }
      long nanos = min(base, maxBackoff).toNanos();
      long half = nanos / 2;
      return Duration.ofNanos(nanos - half + (half == 0 ? 0 : jitter.nextLong(half + 1)));
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }

  /** A builder with every default filled in. */
  public static Builder builder(List<String> terms, Path out) {
    return new Builder(terms, out);
  }

  /** Builds {@link CrawlOptions}; the record's constructor checks the result. */
  public static final class Builder {
    private final List<String> terms;
    private final Path out;
    private int perTerm = 200;
    private SourceKind source;
    private double testRatio = 0.2;
    private long seed = 42;
    private String apiKey;
    private String apiSecret;
    private URI flickrEndpoint = DEFAULT_FLICKR_ENDPOINT;
    private Set<String> licenses;
    private int flickrPerPage = 100;
    private int resultCap = 4000;
    private int callsPerHour = 3000;
    private URI feedEndpoint = DEFAULT_FEED_ENDPOINT;
    private List<String> seedUrls = new ArrayList<>();
    private int depth = 1;
    private Duration politeness = Duration.ofSeconds(1);
    private int maxPages = 200;
    private DownloadSettings download = DownloadSettings.defaults();
    private CleaningOptions cleaning = CleaningOptions.defaults();
    private RetrySettings retry = RetrySettings.defaults();

    private Builder(List<String> terms, Path out) {
      this.terms = List.copyOf(terms);
      this.out = out;
    }

    public Builder perTerm(int n) { perTerm = n; return this; }
    /** The source; when never set: flickr with a key, flickr-feed without. */
    public Builder source(SourceKind s) { source = s; return this; }
    public Builder testRatio(double r) { testRatio = r; return this; }
    public Builder seed(long s) { seed = s; return this; }
    /** The API key as a value (read from the environment or a config file by the caller, never from argv). */
    public Builder flickrApiKey(String key) { apiKey = key; return this; }
    public Builder flickrApiSecret(String secret) { apiSecret = secret; return this; }
    public Builder flickrEndpoint(URI uri) { flickrEndpoint = uri; return this; }
    /** Allowed licence ids; null for every reusable one. */
    public Builder licenses(Set<String> ids) { licenses = ids == null ? null : new HashSet<>(ids); return this; }
    public Builder flickrPerPage(int n) { flickrPerPage = n; return this; }
    public Builder flickrResultCap(int n) { resultCap = n; return this; }
    public Builder apiCallsPerHour(int n) { callsPerHour = n; return this; }
    public Builder feedEndpoint(URI uri) { feedEndpoint = uri; return this; }
    public Builder seedUrls(List<String> urls) { seedUrls = new ArrayList<>(urls); return this; }
    public Builder depth(int d) { depth = d; return this; }
    public Builder politeness(Duration d) { politeness = d; return this; }
    public Builder maxPages(int n) { maxPages = n; return this; }
    public Builder download(DownloadSettings d) { download = d; return this; }
    public Builder cleaning(CleaningOptions c) { cleaning = c; return this; }
    public Builder retry(RetrySettings r) { retry = r; return this; }

    public CrawlOptions build() {
      SourceKind s = source != null ? source
          : apiKey != null && !apiKey.isBlank() ? SourceKind.FLICKR : SourceKind.FLICKR_FEED;
      return new CrawlOptions(terms, out, perTerm, s, testRatio, seed,
          new FlickrSettings(apiKey, apiSecret, flickrEndpoint, licenses, flickrPerPage, resultCap, callsPerHour),
          feedEndpoint, new WebSettings(seedUrls, depth, politeness, maxPages), download, cleaning, retry);
    }
  }
}
