package imgsearch.web;

import imgsearch.image.ImageLimits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the web server runs.
 *
 * @param host address to bind; {@code 127.0.0.1} unless the user asks for more
 * @param port TCP port; 0 picks a free one (see {@link WebServer#port()})
 * @param indexDir the index folder: the evaluation report is read from its {@code eval/} folder
 * @param cacheDir where thumbnails are cached once made
 * @param maxUploadBytes largest accepted upload; larger requests get 413
 * @param maxPixels largest width x height an uploaded image may declare; checked before decoding
 * @param thumbnailSize longest side of thumbnails, in pixels
 */
public record ServerConfig(String host, int port, Path indexDir, Path cacheDir, long maxUploadBytes, long maxPixels,
    int thumbnailSize) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7070;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L << 20;
  public static final long DEFAULT_MAX_PIXELS = ImageLimits.DEFAULT.maxPixels();
  public static final int DEFAULT_THUMBNAIL_SIZE = 256;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (maxUploadBytes < 1 || maxPixels < 1) {
      throw new IllegalArgumentException("upload limits must be positive");
    }
    if (thumbnailSize < 16 || thumbnailSize > 2048) {
      throw new IllegalArgumentException("thumbnail size must be between 16 and 2048, was " + thumbnailSize);
    }
  }

  /** Loopback, port 7070, 20 MB uploads, thumbnails cached in {@code <indexDir>/thumbnails}. */
  public static ServerConfig defaults(Path indexDir) {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, indexDir, indexDir.resolve("thumbnails"),
        DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_THUMBNAIL_SIZE);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, indexDir, cacheDir, maxUploadBytes, maxPixels, thumbnailSize);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, indexDir, cacheDir, maxUploadBytes, maxPixels, thumbnailSize);
  }

  public ServerConfig withCacheDir(Path newCacheDir) {
    return new ServerConfig(host, port, indexDir, newCacheDir, maxUploadBytes, maxPixels, thumbnailSize);
  }

  public ServerConfig withLimits(long newMaxUploadBytes, long newMaxPixels) {
    return new ServerConfig(host, port, indexDir, cacheDir, newMaxUploadBytes, newMaxPixels, thumbnailSize);
  }

  /** The limits uploads are decoded under. */
  public ImageLimits uploadLimits() {
    return new ImageLimits(maxUploadBytes, maxPixels);
  }
}
