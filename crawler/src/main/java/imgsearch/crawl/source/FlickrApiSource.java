package imgsearch.crawl.source;

import com.flickr4java.flickr.Flickr;
import com.flickr4java.flickr.FlickrException;
import com.flickr4java.flickr.FlickrRuntimeException;
import com.flickr4java.flickr.REST;
import com.flickr4java.flickr.photos.Photo;
import com.flickr4java.flickr.photos.PhotoList;
import com.flickr4java.flickr.photos.SearchParameters;
import com.flickr4java.flickr.photos.Size;
import com.flickr4java.flickr.photos.licenses.License;
import com.flickr4java.flickr.tags.Tag;
import imgsearch.crawl.CrawlException;
import imgsearch.crawl.CrawlOptions.FlickrSettings;
import imgsearch.crawl.TimeSource;
import imgsearch.crawl.clean.RejectReason;
import imgsearch.crawl.clean.Rejection;
import imgsearch.crawl.download.DownloadSettings;
import imgsearch.index.Attribution;
import java.net.URI;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Candidates from the Flickr API through flickr4java: {@code flickr.photos.search} by text, photos only, safe
 * search, sorted by relevance, limited to allowed licences, with the size extras so that image URLs come from
 * the response. Pages lazily; past the result cap (4,000 on Flickr) the search is split into upload-date
 * windows, halved until each fits. Every call goes through the rate limiter and is retried with backoff on
 * transport failures (5xx, timeouts). Licence names come from {@code flickr.photos.licenses.getInfo}.
 */
public final class FlickrApiSource implements PhotoSource {

  /** Flickr opened in February 2004: no upload is older. */
  static final Instant FLICKR_EPOCH = Instant.parse("2004-02-01T00:00:00Z");
  /** All rights reserved: the one licence that is never reusable. */
  static final String ALL_RIGHTS_RESERVED = "0";
  /** Flickr's "service currently unavailable" error code, worth a retry. */
  private static final String SERVICE_UNAVAILABLE = "105";
  private static final Set<String> EXTRAS = new LinkedHashSet<>(List.of("license", "owner_name", "date_taken",
      "date_upload", "tags", "url_l", "url_c", "url_z", "url_m", "url_o"));

  private final FlickrSettings settings;
  private final Flickr flickr;
  private final RateLimiter limiter;
  private final Retry retry;
  private final TimeSource time;
  private Map<String, License> licences;
  private Set<String> allowed;

  public FlickrApiSource(FlickrSettings settings, DownloadSettings http, RateLimiter limiter, Retry retry,
      TimeSource time) {
    this.settings = settings;
    this.limiter = limiter;
    this.retry = retry;
    this.time = time;
    REST rest = new REST();
    URI endpoint = settings.endpoint();
    rest.setScheme(endpoint.getScheme());
    // REST.setPort() is ignored by ordinary calls: the port has to travel in the host.
    rest.setHost(endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort());
    rest.setPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/services/rest/" : endpoint.getRawPath());
    rest.setConnectTimeoutMs((int) http.connectTimeout().toMillis());
    rest.setReadTimeoutMs((int) http.readTimeout().toMillis());
    rest.setUserAgent(http.userAgent());
    // Searches are unsigned, but the OAuth library refuses an empty secret.
    String secret = settings.apiSecret() == null || settings.apiSecret().isBlank() ? "unused" : settings.apiSecret();
    this.flickr = new Flickr(settings.apiKey(), secret, rest);
  }

  @Override
  public String name() {
    return "flickr";
  }

  /**
   * Loads the licence table and checks the requested licence ids against it. Called once before the first
   * search; fails with a clear message when the key is refused or the API cannot be reached.
   */
  public synchronized void prepare() {
    if (licences != null) {
      return;
    }
    Map<String, License> table = new LinkedHashMap<>();
    for (License l : call("flickr.photos.licenses.getInfo", () -> flickr.getLicensesInterface().getInfo())) {
      table.put(l.getId(), l);
    }
    // Numeric ids in numeric order: 1, 2, ..., 10.
    Set<String> ids = new TreeSet<>(java.util.Comparator.comparingInt(String::length)
        .thenComparing(java.util.Comparator.naturalOrder()));
    if (settings.licenses() == null) {
      ids.addAll(table.keySet());
      ids.remove(ALL_RIGHTS_RESERVED);
    } else {
      ids.addAll(settings.licenses());
      Set<String> unknown = new TreeSet<>(ids);
      unknown.removeAll(table.keySet());
      if (!unknown.isEmpty()) {
        throw new CrawlException("unknown Flickr licence id(s) " + unknown + "; known ids: " + describe(table));
      }
    }
    licences = table;
    allowed = ids;
  }

  /** Licence ids searched for and accepted. */
  public synchronized Set<String> allowedLicenses() {
    prepare();
    return allowed;
  }

  /** Licence id to name, as Flickr reports them. */
  public synchronized Map<String, String> licenseNames() {
    prepare();
    Map<String, String> m = new LinkedHashMap<>();
    licences.forEach((id, l) -> m.put(id, l.getName()));
    return m;
  }

  @Override
  public Iterator<Candidate> candidates(String term) {
    prepare();
    return new Search(term);
  }

  @Override
  public Optional<Rejection> refusal(Candidate c) {
    Attribution a = c.attribution();
    if (a.licenseId() == null || !allowedLicenses().contains(a.licenseId())) {
      return Optional.of(Rejection.of(RejectReason.LICENSE_NOT_ALLOWED,
          "licence " + a.licenseId() + (a.licenseName() == null ? "" : " (" + a.licenseName() + ")")
              + " is not among " + allowedLicenses()));
    }
    return Optional.empty();
  }

  @Override
  public List<String> notes() {
    return List.of("flickr: searched by text, photos only, safe search, by relevance, licences " + allowedLicenses());
  }

  /** Calls made to the API so far (all methods). */
  public long apiCalls() {
    return limiter.calls();
  }

  private <T> T call(String method, Retry.Attempt<T> attempt) {
    try {
      return retry.call(() -> {
        limiter.acquire();
        return attempt.run();
      }, FlickrApiSource::retryable);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CrawlException("interrupted while calling " + method, e);
    } catch (FlickrException e) {
      if (retryable(e)) {
        throw unreachable(method, e);
      }
      throw new CrawlException("Flickr refused " + method + ": " + redact(e.getErrorMessage())
          + " (code " + e.getErrorCode() + ")" + hint(e.getErrorCode()));
    } catch (Exception e) {
      throw unreachable(method, e);
    }
  }

  private CrawlException unreachable(String method, Exception e) {
    String why = e instanceof FlickrException fe ? fe.getErrorMessage() : rootMessage(e);
    return new CrawlException("could not reach the Flickr API at " + settings.endpoint() + " (" + method + ", "
        + retry.attempts() + " tries): " + redact(why));
  }

  private static boolean retryable(Exception e) {
    if (e instanceof FlickrException fe) {
      return SERVICE_UNAVAILABLE.equals(fe.getErrorCode());
    }
    // Transport failures: timeouts, refused connections, 5xx pages that are not Flickr XML.
    return e instanceof FlickrRuntimeException;
  }

  private static String hint(String code) {
    return "100".equals(code) ? ": check FLICKR_API_KEY or api_key in the config file" : "";
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  /** {@code message} without the key, the secret, or any api_key= parameter. */
  String redact(String message) {
    if (message == null) {
      return "";
    }
    String m = message;
    for (String secret : new String[] {settings.apiKey(), settings.apiSecret()}) {
      if (secret != null && !secret.isBlank()) {
        m = m.replace(secret, "(hidden)");
      }
    }
    return API_KEY_PARAM.matcher(m).replaceAll("$1(hidden)");
  }

  private static final Pattern API_KEY_PARAM = Pattern.compile("((?:api_key|oauth_consumer_key|api_sig)=)[^&\\s\"']+");

  private static String describe(Map<String, License> table) {
    List<String> parts = new ArrayList<>();
    table.forEach((id, l) -> parts.add(id + " " + l.getName()));
    return String.join("; ", parts);
  }

  private Candidate toCandidate(Photo p) {
    String imageUrl = null;
    // Best first: about 1024 px, then smaller, the original (maybe huge) last.
    for (Size size : new Size[] {p.getLargeSize(), p.getMedium800Size(), p.getMedium640Size(), p.getMediumSize(),
        p.getOriginalSize()}) {
      if (size != null && size.getSource() != null && size.getSource().startsWith("http")) {
        imageUrl = size.getSource();
        break;
      }
    }
    String ownerId = p.getOwner() == null ? null : blankToNull(p.getOwner().getId());
    String ownerName = p.getOwner() == null ? null : blankToNull(p.getOwner().getUsername());
    License l = licences.get(p.getLicense());
    List<String> tags = new ArrayList<>();
    if (p.getTags() != null) {
      for (Tag t : p.getTags()) {
        if (t.getValue() != null && !t.getValue().isBlank()) {
          tags.add(t.getValue());
        }
      }
    }
    String page = ownerId == null ? p.getUrl() : "https://www.flickr.com/photos/" + ownerId + "/" + p.getId() + "/";
    return new Candidate(safeId(p.getId()), new Attribution(name(), page, imageUrl, blankToNull(p.getTitle()),
        ownerName, ownerId == null ? null : "https://www.flickr.com/photos/" + ownerId + "/",
        blankToNull(p.getLicense()), l == null ? null : l.getName(), l == null ? null : blankToNull(l.getUrl()), tags,
        formatDate(p.getDateTaken())));
  }

  private static String formatDate(Date d) {
    // flickr4java parsed "yyyy-MM-dd HH:mm:ss" in the default zone; formatting it back the same way gives
    // Flickr's own string.
    return d == null ? null : new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(d);
  }

  static String safeId(String id) {
    return id == null ? null : id.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** An upload-date window; null bounds are open. */
  private record Window(Instant min, Instant max) {
    boolean splittable() {
      return Duration.between(min, max).compareTo(Duration.ofDays(1)) > 0;
    }
  }

  /** Pages through one term's results, window by window. */
  private final class Search implements Iterator<Candidate> {
    private final String term;
    private final Deque<Window> windows = new ArrayDeque<>();
    private final Deque<Candidate> buffer = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();
    private Window window;
    private int page;
    private int pages;
    private int total;
    private int perPage;

    Search(String term) {
      this.term = term;
      windows.add(new Window(null, null));
    }

    @Override
    public boolean hasNext() {
      while (buffer.isEmpty()) {
        if (window == null) {
          if (windows.isEmpty()) {
            return false;
          }
          window = windows.pop();
          page = 1;
          pages = -1;
        }
        boolean pastCap = pages >= 0 && (long) (page - 1) * perPage >= settings.resultCap();
        if (pages >= 0 && (page > pages || pastCap)) {
          if (total > settings.resultCap()) {
            split(window);
          }
          window = null;
          continue;
        }
        fetchPage();
      }
      return true;
    }

    private void split(Window w) {
      Instant min = w.min() == null ? FLICKR_EPOCH : w.min();
      Instant max = w.max() == null ? time.now() : w.max();
      Window whole = new Window(min, max);
      if (!whole.splittable()) {
        return;
      }
      Instant mid = min.plus(Duration.between(min, max).dividedBy(2));
      // Newest first: pushed last, taken first.
      windows.push(new Window(min, mid));
      windows.push(new Window(mid, max));
    }

    private void fetchPage() {
      SearchParameters params = new SearchParameters();
      params.setText(term);
      try {
        params.setMedia("photos");
      } catch (FlickrException impossible) {
        throw new IllegalStateException(impossible);
      }
      params.setSafeSearch(Flickr.SAFETYLEVEL_SAFE);
      params.setSort(SearchParameters.RELEVANCE);
      params.setLicense(String.join(",", allowed));
      params.setExtras(EXTRAS);
      if (window.min() != null) {
        params.setMinUploadDate(Date.from(window.min()));
      }
      if (window.max() != null) {
        params.setMaxUploadDate(Date.from(window.max()));
      }
      int requested = settings.perPage();
      int pageNo = page;
      PhotoList<Photo> list = call("flickr.photos.search", () -> flickr.getPhotosInterface().search(params, requested, pageNo));
      pages = list.getPages();
      total = list.getTotal();
      perPage = list.getPerPage() > 0 ? list.getPerPage() : requested;
      page++;
      if (list.isEmpty()) {
        pages = 0;
      }
      for (Photo p : list) {
        if (p.getId() != null && seen.add(p.getId())) {
          buffer.add(toCandidate(p));
        }
      }
    }

    @Override
    public Candidate next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return buffer.poll();
    }
  }
}
