package imgsearch.crawl.download;

import imgsearch.crawl.CrawlOptions.RetrySettings;
import imgsearch.crawl.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads whole bodies with the JDK's HTTP client, within the limits of {@link DownloadSettings}: a bounded
 * number of requests per host, connect/header/total timeouts, a maximum body size (checked from
 * Content-Length before reading and again while reading), and redirects followed by hand a bounded number of
 * times. Failures that may pass (timeouts, broken connections, 5xx, 408, 429) are tried again a bounded number
 * of times with exponential backoff and jitter ({@link RetrySettings#downloadBackoff}), honouring Retry-After;
 * the wait happens outside the host's slot, and every try goes through the {@link HostPacer} again.
 * Thread-safe; one instance serves the whole crawl.
 */
public final class Downloader implements AutoCloseable {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final DownloadSettings settings;
  private final HostPacer pacer;
  private final RetrySettings retry;
  private final TimeSource time;
  private final Random jitter;
  private final HttpClient client;
  private final Map<String, Semaphore> hostSlots = new ConcurrentHashMap<>();

  /** A downloader that tries each request once. */
  public Downloader(DownloadSettings settings, HostPacer pacer) {
    this(settings, pacer, new RetrySettings(1, Duration.ZERO), TimeSource.SYSTEM, new Random());
  }

  /**
   * A downloader that retries transient failures as {@code retry} says, waiting on {@code time} (tests pass a
   * fake clock) with jitter drawn from {@code jitter} (tests pass a seeded one).
   */
  public Downloader(DownloadSettings settings, HostPacer pacer, RetrySettings retry, TimeSource time, Random jitter) {
    this.settings = settings;
    this.pacer = pacer;
    this.retry = retry;
    this.time = time;
    this.jitter = jitter;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public DownloadSettings settings() {
    return settings;
  }

  /** The body at {@code uri}, at most {@link DownloadSettings#maxBytes()} long. */
  public Fetched get(URI uri) throws DownloadException, InterruptedException {
    return get(uri, settings.maxBytes());
  }

  /**
   * The body at {@code uri}, at most {@code maxBytes} long, following redirects and retrying transient
   * failures. The exception of a request that was tried more than once says how often
   * ({@link DownloadException#attempts()}, and "... after N attempts" in its message).
   */
  public Fetched get(URI uri, long maxBytes) throws DownloadException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      URI[] lastHop = {uri};
      try {
        return getOnce(uri, maxBytes, lastHop);
      } catch (DownloadException e) {
        if (!e.transientFailure() || attempt >= retry.attempts()) {
          throw attempt == 1 ? e : e.afterAttempts(attempt);
        }
        Duration wait = retry.downloadBackoff(attempt, e.retryAfter(), jitter);
        if (e.retryAfter() != null) {
          pacer.pause(lastHop[0], wait); // the host asked every request of ours to wait
        }
        time.sleep(wait); // holds no host slot: other downloads from the host go on meanwhile
      }
    }
  }

  /** One try: the redirect chain from {@code uri}; {@code lastHop[0]} is the URL asked for last. */
  private Fetched getOnce(URI uri, long maxBytes, URI[] lastHop) throws DownloadException, InterruptedException {
    URI current = uri;
    Set<URI> visited = new HashSet<>();
    for (int hop = 0; ; hop++) {
      checkUrl(current);
      if (hop > settings.maxRedirects()) {
        throw new DownloadException(DownloadException.Kind.TOO_MANY_REDIRECTS, 0,
            "more than " + settings.maxRedirects() + " redirects");
      }
      if (!visited.add(current)) {
        throw new DownloadException(DownloadException.Kind.TOO_MANY_REDIRECTS, 0, "redirect loop back to " + current);
      }
      lastHop[0] = current;
      HttpResponse<byte[]> response = send(current, maxBytes);
      int status = response.statusCode();
      if (REDIRECTS.contains(status)) {
        String location = response.headers().firstValue("location").orElseThrow(() ->
            new DownloadException(DownloadException.Kind.HTTP_STATUS, status, "HTTP " + status + " without a Location"));
        try {
          current = current.resolve(location.strip());
        } catch (IllegalArgumentException bad) {
          throw new DownloadException(DownloadException.Kind.BAD_URL, status, "bad redirect target: " + location);
        }
        continue;
      }
      if (status < 200 || status > 299) {
        Duration retryAfter = response.headers().firstValue("retry-after")
            .map(v -> parseRetryAfter(v, time.now())).orElse(null);
        throw new DownloadException(DownloadException.Kind.HTTP_STATUS, status, "HTTP " + status, retryAfter);
      }
      return new Fetched(uri, current, response.headers().firstValue("content-type").orElse(""), response.body());
    }
  }

  /**
   * A Retry-After header's wait: delay-seconds ({@code 120}) or an HTTP-date
   * ({@code Wed, 21 Oct 2015 07:28:00 GMT}) from {@code now}; zero for a date in the past, null when unreadable.
   */
  static Duration parseRetryAfter(String value, Instant now) {
    String v = value.strip();
    if (v.matches("\\d{1,12}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void checkUrl(URI uri) throws DownloadException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new DownloadException(DownloadException.Kind.BAD_URL, 0, "not an http(s) URL: " + uri);
    }
  }

  private HttpResponse<byte[]> send(URI uri, long maxBytes) throws DownloadException, InterruptedException {
    Semaphore slot = hostSlots.computeIfAbsent(HostPacer.hostKey(uri), h -> new Semaphore(settings.perHostConcurrency()));
    slot.acquire();
    try {
      pacer.await(uri);
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(settings.readTimeout())
          .header("User-Agent", settings.userAgent())
          .header("Accept", "image/*, text/html;q=0.9, */*;q=0.8")
          .GET()
          .build();
      CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> {
        int status = info.statusCode();
        if (status < 200 || status > 299) {
          return new Discard();
        }
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        return new LimitedBody(declared > maxBytes ? -1 : maxBytes, declared);
      });
      try {
        return future.get(settings.totalTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        throw new DownloadException(DownloadException.Kind.TIMEOUT, 0,
            "no complete response within " + settings.totalTimeout().toMillis() + " ms");
      } catch (InterruptedException e) {
        future.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        throw translate(e.getCause() == null ? e : e.getCause(), maxBytes);
      }
    } finally {
      slot.release();
    }
  }

  private DownloadException translate(Throwable t, long maxBytes) {
    Throwable cause = t;
    while (cause.getCause() != null && !(cause instanceof TooLarge) && !(cause instanceof HttpTimeoutException)) {
      cause = cause.getCause();
    }
    if (cause instanceof TooLarge big) {
      return new DownloadException(DownloadException.Kind.TOO_LARGE, 0, big.getMessage());
    }
    if (t instanceof HttpTimeoutException || cause instanceof HttpTimeoutException
        || cause instanceof java.net.SocketTimeoutException) {
      return new DownloadException(DownloadException.Kind.TIMEOUT, 0, "timed out: " + t.getMessage());
    }
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return new DownloadException(DownloadException.Kind.NETWORK, 0, "unknown host");
    }
    if (cause instanceof ConnectException) {
      return new DownloadException(DownloadException.Kind.NETWORK, 0, "connection refused");
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new DownloadException(DownloadException.Kind.NETWORK, 0, "download failed: " + message);
  }

  @Override
  public void close() {
    client.shutdownNow();
  }

  /** Marks a body that went over the limit. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /** Collects a body up to a limit; a negative limit refuses it at once (its Content-Length was too large). */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(long max, long declared) {
      this.max = max;
      this.declared = declared;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (max < 0) {
        s.cancel();
        result.completeExceptionally(new TooLarge("Content-Length " + declared + " bytes is over the limit"));
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (buffer.size() + (long) b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge("body is over the limit of " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }

  /** Drops the body of an error or redirect response without reading it. */
  private static final class Discard implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.cancel();
      result.complete(new byte[0]);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {}

    @Override
    public void onError(Throwable t) {
      result.complete(new byte[0]);
    }

    @Override
    public void onComplete() {
      result.complete(new byte[0]);
    }
  }
}
