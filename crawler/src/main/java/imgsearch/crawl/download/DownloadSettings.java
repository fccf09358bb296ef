package imgsearch.crawl.download;

import java.time.Duration;

/**
 * HTTP limits of the downloader.
 *
 * @param connectTimeout time to open a connection
 * @param readTimeout time until the response headers arrive
 * @param totalTimeout time for one whole response, body included
 * @param maxBytes largest body accepted; larger ones are refused (by Content-Length before reading, else while reading)
 * @param maxRedirects redirects followed before giving up
 * @param concurrency downloads running at once
 * @param perHostConcurrency downloads running at once against one host
 * @param userAgent sent with every request and matched against robots.txt groups
 */
public record DownloadSettings(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, long maxBytes,
    int maxRedirects, int concurrency, int perHostConcurrency, String userAgent) {

  public DownloadSettings {
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
        || totalTimeout.isNegative() || totalTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxBytes < 1 || maxRedirects < 0 || concurrency < 1 || perHostConcurrency < 1) {
      throw new IllegalArgumentException("max bytes and concurrency must be positive, max redirects not negative");
    }
  }

  /** 10 s to connect, 30 s to the headers, 2 min in all, 20 MB, 5 redirects, 4 at once, 2 per host. */
  public static DownloadSettings defaults() {
    return new DownloadSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(2), 20L << 20, 5,
        4, 2, "imgsearch-crawler/0.1 (+https://github.com/imgsearch)");
  }

  public DownloadSettings withTimeouts(Duration connect, Duration read, Duration total) {
    return new DownloadSettings(connect, read, total, maxBytes, maxRedirects, concurrency, perHostConcurrency, userAgent);
  }

  public DownloadSettings withMaxBytes(long bytes) {
    return new DownloadSettings(connectTimeout, readTimeout, totalTimeout, bytes, maxRedirects, concurrency,
        perHostConcurrency, userAgent);
  }

  public DownloadSettings withConcurrency(int all, int perHost) {
    return new DownloadSettings(connectTimeout, readTimeout, totalTimeout, maxBytes, maxRedirects, all, perHost,
        userAgent);
  }
}
