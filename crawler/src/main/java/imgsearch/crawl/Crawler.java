package imgsearch.crawl;

import imgsearch.crawl.clean.DuplicateIndex;
import imgsearch.crawl.clean.ImageCleaner;
import imgsearch.crawl.clean.RejectReason;
import imgsearch.crawl.clean.Rejection;
import imgsearch.crawl.download.DownloadException;
import imgsearch.crawl.download.Downloader;
import imgsearch.crawl.download.HostPacer;
import imgsearch.crawl.source.Candidate;
import imgsearch.crawl.source.FlickrApiSource;
import imgsearch.crawl.source.FlickrFeedSource;
import imgsearch.crawl.source.PhotoSource;
import imgsearch.crawl.source.RateLimiter;
import imgsearch.crawl.source.Retry;
import imgsearch.crawl.source.WebSource;
import imgsearch.crawl.split.Splitter;
import imgsearch.file.Sha256;
import imgsearch.image.ImageLimits;
import imgsearch.index.ManifestEntry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Crawls photos for search terms into a clean, attributed train/test collection. For each term, candidates
 * are taken from the source in order, downloaded a few at a time (bounded per host), checked one by one in
 * candidate order (so the result does not depend on download timing), deduplicated against the whole
 * collection, assigned a split and stored. A run that was interrupted, or one with a larger quota, picks up
 * where the collection is: kept images are not downloaded again and keep their split.
 *
 * <pre>{@code
 * CrawlOptions options = CrawlOptions.builder(List.of("red fox", "lighthouse"), Path.of("data"))
 *     .perTerm(50).flickrApiKey(System.getenv("FLICKR_API_KEY")).build();
 * CrawlReport report = new Crawler(options).run(new ConsoleProgress(System.err, System.console() != null));
 * }</pre>
 */
public final class Crawler {

  private final CrawlOptions options;
  private final TimeSource time;
  private final Random jitter;
  private volatile boolean cancelled;
  private volatile long apiCalls;

  public Crawler(CrawlOptions options) {
    this(options, TimeSource.SYSTEM, new Random());
  }

  /**
   * A crawler that waits (rate limits, backoff, politeness) on {@code time}; tests pass a fake clock. The
   * jitter of download retries is seeded with the crawl's seed, so the same run waits the same.
   */
  public Crawler(CrawlOptions options, TimeSource time) {
    this(options, time, new Random(options.seed()));
  }

  /** A crawler that waits on {@code time} and draws the jitter of download retries from {@code jitter}. */
  public Crawler(CrawlOptions options, TimeSource time, Random jitter) {
    this.options = options;
    this.time = time;
    this.jitter = jitter;
  }

  /** Asks a running crawl to stop after the image it is storing; {@link #run} then returns its report. */
  public void cancel() {
    cancelled = true;
  }

  /** Flickr API calls made by the last run. */
  public long apiCalls() {
    return apiCalls;
  }

  /**
   * Runs the crawl and writes {@code crawl-report.json}.
   *
   * @throws CrawlException when the source cannot be used at all (key refused, API unreachable)
   * @throws IOException when the collection folder cannot be written
   */
  public CrawlReport run(CrawlListener listener) throws IOException {
    String started = time.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ImageLimits limits = new ImageLimits(options.download().maxBytes(), ImageLimits.DEFAULT.maxPixels());
    CollectionStore store = CollectionStore.open(options.out(), limits);
    store.repairs().forEach(listener::warning);
    // On the crawl's clock even without a politeness delay: a 429's Retry-After pauses its host.
    HostPacer pacer = new HostPacer(time, options.source() == SourceKind.WEB ? options.web().politeness() : Duration.ZERO);
    Retry retry = new Retry(options.retry().attempts(), options.retry().firstBackoff(), time);
    RateLimiter limiter = new RateLimiter(options.flickr().callsPerHour(), time);
    ExecutorService pool = Executors.newFixedThreadPool(options.download().concurrency(), r -> {
      Thread t = new Thread(r, "imgsearch-download");
      t.setDaemon(true);
      return t;
    });
    try (Downloader downloader = new Downloader(options.download(), pacer, options.retry(), time, jitter)) {
      PhotoSource source = switch (options.source()) {
        case FLICKR -> new FlickrApiSource(options.flickr(), options.download(), limiter, retry, time);
        case FLICKR_FEED -> new FlickrFeedSource(options.feedEndpoint(), downloader);
        case WEB -> new WebSource(options.web(), downloader, pacer);
      };
      if (source instanceof FlickrApiSource flickr) {
        try {
          flickr.prepare();
        } finally {
          apiCalls = limiter.calls();
        }
      }
      Run run = new Run(store, source, downloader, pool, new ImageCleaner(options.cleaning(), limits), listener);
      List<CrawlReport.TermReport> terms = new ArrayList<>();
      for (Map.Entry<String, String> t : options.classNames().entrySet()) {
        if (cancelled || Thread.currentThread().isInterrupted()) {
          break;
        }
        CrawlReport.TermReport r = run.term(t.getKey(), t.getValue());
        terms.add(r);
        listener.termFinished(r);
      }
      store.compactRejected(); // one line per candidate again; after a failed run, the next opening does it
      apiCalls = limiter.calls();
      List<String> notes = new ArrayList<>(source.notes());
      notes.addAll(store.repairs());
      CrawlReport report = report(store, terms, notes, started, source);
      store.writeReport(report);
      return report;
    } finally {
      pool.shutdownNow();
    }
  }

  private CrawlReport report(CollectionStore store, List<CrawlReport.TermReport> ran, List<String> notes,
      String started, PhotoSource source) {
    boolean interrupted = cancelled || ran.size() < options.terms().size();
    List<CrawlReport.TermReport> terms = new ArrayList<>(ran);
    Map<String, String> classes = options.classNames();
    for (String term : options.terms()) {
      if (terms.stream().noneMatch(r -> r.term().equals(term))) {
        terms.add(termReport(store, term, classes.get(term), 0, 0, Map.of(), "not reached: the crawl was stopped"));
      }
    }
    Map<String, Integer> rejected = new TreeMap<>();
    Map<String, Integer> rejectedNow = new TreeMap<>();
    int kept = 0;
    int train = 0;
    int test = 0;
    int keptNow = 0;
    for (CrawlReport.TermReport r : terms) {
      kept += r.kept();
      train += r.train();
      test += r.test();
      keptNow += r.keptThisRun();
      r.rejected().forEach((k, v) -> rejected.merge(k, v, Integer::sum));
      r.rejectedThisRun().forEach((k, v) -> rejectedNow.merge(k, v, Integer::sum));
    }
    return new CrawlReport(source.name(), parameters(source), notes, started,
        time.now().truncatedTo(ChronoUnit.SECONDS).toString(), interrupted, apiCalls, terms,
        new CrawlReport.Totals(kept, train, test, keptNow, rejected, rejectedNow));
  }

  private CrawlReport.TermReport termReport(CollectionStore store, String term, String label, int keptNow,
      int candidates, Map<String, Integer> rejectedNow, String error) {
    List<ManifestEntry> entries = store.entriesOf(label);
    int test = (int) entries.stream().filter(e -> Splitter.TEST.equals(e.split())).count();
    Map<String, Integer> rejected = new TreeMap<>();
    store.rejected().stream().filter(r -> label.equals(r.label()))
        .forEach(r -> rejected.merge(r.reason(), 1, Integer::sum));
    return new CrawlReport.TermReport(term, label, options.perTerm(), entries.size(), entries.size() - test, test,
        keptNow, candidates, rejected, new TreeMap<>(rejectedNow), error);
  }

  private Map<String, Object> parameters(PhotoSource source) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("terms", options.terms());
    p.put("classes", options.classNames());
    p.put("per_term", options.perTerm());
    p.put("source", options.source().id());
    p.put("test_ratio", options.testRatio());
    p.put("seed", options.seed());
    switch (options.source()) {
      case FLICKR -> {
        FlickrApiSource f = (FlickrApiSource) source;
        p.put("flickr_endpoint", options.flickr().endpoint().toString());
        p.put("api_key", "set (not shown)");
        p.put("licenses", f.allowedLicenses());
        p.put("license_names", f.licenseNames());
        p.put("flickr_per_page", options.flickr().perPage());
        p.put("flickr_result_cap", options.flickr().resultCap());
        p.put("api_calls_per_hour", options.flickr().callsPerHour());
      }
      case FLICKR_FEED -> p.put("feed_endpoint", options.feedEndpoint().toString());
      case WEB -> {
        p.put("seed_urls", options.web().seedUrls());
        p.put("depth", options.web().depth());
        p.put("politeness_ms", options.web().politeness().toMillis());
        p.put("max_pages", options.web().maxPages());
      }
    }
    var c = options.cleaning();
    p.put("min_width", c.minWidth());
    p.put("min_height", c.minHeight());
    p.put("max_aspect_ratio", c.maxAspectRatio());
    p.put("min_luma_std_dev", c.minLumaStdDev());
    p.put("near_duplicate_distance", c.nearDuplicateDistance());
    p.put("split_group_distance", c.splitGroupDistance());
    p.put("jpeg_quality", c.jpegQuality());
    p.put("normalisation", "originals that already are upright 3-component JPEGs are kept byte for byte; "
        + "everything else is re-encoded as RGB JPEG with EXIF orientation applied; originals are not kept");
    var d = options.download();
    p.put("max_image_bytes", d.maxBytes());
    p.put("connect_timeout_ms", d.connectTimeout().toMillis());
    p.put("read_timeout_ms", d.readTimeout().toMillis());
    p.put("total_timeout_ms", d.totalTimeout().toMillis());
    p.put("max_redirects", d.maxRedirects());
    p.put("concurrency", d.concurrency());
    p.put("per_host_concurrency", d.perHostConcurrency());
    p.put("retry_attempts", options.retry().attempts());
    p.put("retry_first_backoff_ms", options.retry().firstBackoff().toMillis());
    p.put("retry_max_backoff_ms", options.retry().maxBackoff().toMillis());
    p.put("retry_after_max_ms", options.retry().maxRetryAfter().toMillis());
    return p;
  }

  /** A candidate after download and single-image checks, ready for the duplicate checks. */
  private sealed interface Prepared permits Ready, Dropped {}

  private record Ready(byte[] stored, String sourceSha256, String storedSha256, long phash, int width, int height)
      implements Prepared {}

  private record Dropped(Rejection rejection) implements Prepared {}

  /** The state of one run. */
  private final class Run {
    private final CollectionStore store;
    private final PhotoSource source;
    private final Downloader downloader;
    private final ExecutorService pool;
    private final ImageCleaner cleaner;
    private final CrawlListener listener;
    private final DuplicateIndex duplicates = new DuplicateIndex();
    private final Splitter splitter = new Splitter(options.seed(), options.testRatio());

    Run(CollectionStore store, PhotoSource source, Downloader downloader, ExecutorService pool,
        ImageCleaner cleaner, CrawlListener listener) {
      this.store = store;
      this.source = source;
      this.downloader = downloader;
      this.pool = pool;
      this.cleaner = cleaner;
      this.listener = listener;
      for (ManifestEntry e : store.entries()) {
        CollectionStore.KeptHashes h = store.hashes(e.id());
        duplicates.add(new DuplicateIndex.Entry(e.id(), e.label(), h.phashBits()), h.sourceSha256(), e.sha256());
      }
    }

    CrawlReport.TermReport term(String term, String label) throws IOException {
      int target = options.perTerm();
      int kept = store.entriesOf(label).size();
      listener.termStarted(term, label, target, kept);
      Set<String> keptBefore = new HashSet<>();
      store.entriesOf(label).forEach(e -> keptBefore.add(e.id()));
      int keptNow = 0;
      int candidates = 0;
      Map<String, Integer> rejectedNow = new TreeMap<>();
      String error = null;
      Set<String> seen = new HashSet<>();
      try {
        Iterator<Candidate> it = kept < target ? source.candidates(term) : java.util.Collections.emptyIterator();
        int concurrency = options.download().concurrency();
        while (kept < target && !stopped()) {
          List<Candidate> batch = new ArrayList<>();
          // Never more than still needed: a web crawl then reads no page beyond the quota's.
          int want = Math.min(2 * concurrency, target - kept);
          while (batch.size() < want && !stopped() && it.hasNext()) {
            Candidate c = it.next();
            candidates++;
            if (!seen.add(c.id()) || keptBefore.contains(c.id()) || store.rejectedForGood(label, c.id())) {
              continue; // offered twice, or settled by an earlier run
            }
            Optional<Rejection> early = precheck(c, label);
            if (early.isPresent()) {
              reject(c, term, label, early.get(), rejectedNow);
              listener.candidateDone(term, kept, target, total(rejectedNow));
            } else {
              batch.add(c);
            }
          }
          if (batch.isEmpty()) {
            break;
          }
          List<Future<Prepared>> futures = new ArrayList<>();
          for (Candidate c : batch) {
            futures.add(pool.submit(() -> prepare(c)));
          }
          for (int i = 0; i < batch.size(); i++) {
            if (kept >= target || stopped()) {
              futures.subList(i, futures.size()).forEach(f -> f.cancel(true));
              break;
            }
            Prepared p = await(futures.get(i));
            if (p == null) {
              break;
            }
            if (store(batch.get(i), term, label, p, rejectedNow)) {
              kept++;
              keptNow++;
            }
            listener.candidateDone(term, kept, target, total(rejectedNow));
          }
        }
      } catch (CrawlException e) {
        error = e.getMessage();
        listener.warning(term + ": " + e.getMessage());
      }
      balance(label, keptBefore);
      return termReport(store, term, label, keptNow, candidates, rejectedNow, error);
    }

    private boolean stopped() {
      return cancelled || Thread.currentThread().isInterrupted();
    }

    /** The candidate's result, or null when the crawl was stopped meanwhile. */
    private Prepared await(Future<Prepared> f) {
      try {
        // Polled, so that a cancel does not wait out a download's retry backoff (up to a minute).
        while (true) {
          try {
            return f.get(200, TimeUnit.MILLISECONDS);
          } catch (TimeoutException stillRunning) {
            if (stopped()) {
              f.cancel(true);
              return null;
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (CancellationException e) {
        return null;
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        return new Dropped(Rejection.of(RejectReason.UNDECODABLE, "failed while checking: " + c));
      }
    }

    /** Rejections that need no download. */
    private Optional<Rejection> precheck(Candidate c, String label) {
      if (c.imageUrl() == null || c.imageUrl().isBlank()) {
        return Optional.of(Rejection.of(RejectReason.NO_IMAGE_URL, "the source gave no image URL"));
      }
      ManifestEntry other = store.entry(c.id());
      if (other != null && !label.equals(other.label())) {
        return Optional.of(new Rejection(RejectReason.DUPLICATE, "the same photo is already kept in class "
            + other.label(), other.id()));
      }
      return source.refusal(c);
    }

    /** Download and single-image checks; runs on the download pool. */
    private Prepared prepare(Candidate c) throws InterruptedException {
      byte[] bytes;
      try {
        bytes = downloader.get(URI.create(c.imageUrl())).body();
      } catch (DownloadException e) {
        return new Dropped(Rejection.downloadFailed(reasonFor(e), e.getMessage(), e.attempts()));
      } catch (IllegalArgumentException e) {
        return new Dropped(Rejection.of(RejectReason.NO_IMAGE_URL, "not a valid URL"));
      }
      String sourceSha = Sha256.hex(bytes);
      ImageCleaner.Result r = cleaner.inspect(bytes);
      if (r instanceof ImageCleaner.Unusable u) {
        return new Dropped(u.rejection());
      }
      ImageCleaner.Usable ok = (ImageCleaner.Usable) r;
      ImageCleaner.Stored stored = cleaner.store(bytes, ok);
      String storedSha = stored.bytes() == bytes ? sourceSha : Sha256.hex(stored.bytes());
      return new Ready(stored.bytes(), sourceSha, storedSha, stored.phash(), ok.image().width(), ok.image().height());
    }

    /** Transient download failures map to transient reasons, so that the next run tries them again. */
    private RejectReason reasonFor(DownloadException e) {
      return switch (e.kind()) {
        case TIMEOUT -> RejectReason.TIMEOUT;
        case TOO_LARGE -> RejectReason.TOO_LARGE;
        case TOO_MANY_REDIRECTS -> RejectReason.TOO_MANY_REDIRECTS;
        case BAD_URL -> RejectReason.NO_IMAGE_URL;
        case NETWORK -> RejectReason.NETWORK_ERROR;
        case HTTP_STATUS -> e.transientFailure() ? RejectReason.NETWORK_ERROR : RejectReason.DOWNLOAD_FAILED;
      };
    }

    /** Duplicate checks, split and storage, in candidate order. Returns whether the image was kept. */
    private boolean store(Candidate c, String term, String label, Prepared p, Map<String, Integer> rejectedNow)
        throws IOException {
      if (p instanceof Dropped d) {
        reject(c, term, label, d.rejection(), rejectedNow);
        return false;
      }
      Ready r = (Ready) p;
      Optional<String> same = duplicates.exact(r.sourceSha256()).or(() -> duplicates.exact(r.storedSha256()));
      if (same.isPresent()) {
        reject(c, term, label, new Rejection(RejectReason.DUPLICATE, "same bytes as " + same.get(), same.get()), rejectedNow);
        return false;
      }
      List<DuplicateIndex.Match> near = duplicates.near(r.phash(), options.cleaning().nearDuplicateDistance());
      if (!near.isEmpty()) {
        DuplicateIndex.Match m = near.get(0);
        reject(c, term, label, new Rejection(RejectReason.NEAR_DUPLICATE, "looks like " + m.entry().id()
            + " (hash distance " + m.distance() + ")", m.entry().id()), rejectedNow);
        return false;
      }
      Optional<String> lookAlikeSplit = duplicates.near(r.phash(), options.cleaning().splitGroupDistance()).stream()
          .filter(m -> label.equals(m.entry().label()))
          .map(m -> store.entry(m.entry().id()).split())
          .findFirst();
      String split = splitter.splitFor(label, c.id(), lookAlikeSplit);
      ManifestEntry entry = new ManifestEntry(c.id(), label, split, CollectionStore.relativeFile(split, label, c.id()),
          r.storedSha256(), r.width(), r.height(), c.attribution());
      store.keep(entry, r.stored(), r.sourceSha256(), r.phash());
      duplicates.add(new DuplicateIndex.Entry(c.id(), label, r.phash()), r.sourceSha256(), r.storedSha256());
      return true;
    }

    private void reject(Candidate c, String term, String label, Rejection r, Map<String, Integer> rejectedNow)
        throws IOException {
      store.reject(new RejectedRecord(c.id(), label, term, c.attribution().source(), c.attribution().pageUrl(),
          c.imageUrl(), r.reason().code(), r.detail(), r.duplicateOf(), r.attempts()));
      rejectedNow.merge(r.reason().code(), 1, Integer::sum);
    }

    private void balance(String label, Set<String> keptBefore) throws IOException {
      List<Splitter.Member> members = new ArrayList<>();
      for (ManifestEntry e : store.entriesOf(label)) {
        members.add(new Splitter.Member(e.id(), e.split(), store.hashes(e.id()).phashBits(), !keptBefore.contains(e.id())));
      }
      for (Splitter.Move m : splitter.balance(label, members, options.cleaning().splitGroupDistance())) {
        store.moveSplit(m.id(), m.to());
      }
    }

    private int total(Map<String, Integer> counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
