package imgsearch.crawl.source;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Flickr credentials and endpoints from the environment or a config file, never from the command line (where
 * they would show in process lists). {@code FLICKR_API_KEY} / {@code FLICKR_API_SECRET} win; otherwise
 * {@code $XDG_CONFIG_HOME/imgsearch/flickr.properties} (default {@code ~/.config/imgsearch/flickr.properties})
 * with the keys {@code api_key}, {@code api_secret}, and optionally {@code endpoint} and {@code feed_endpoint}.
 *
 * @param apiKey the key, or null when none is configured
 * @param apiSecret the secret, or null
 * @param endpoint the REST endpoint from the config file, or null
 * @param feedEndpoint the public feed URL from the config file, or null
 */
public record FlickrConfig(String apiKey, String apiSecret, URI endpoint, URI feedEndpoint) {

  /** Environment variable holding the API key. */
  public static final String KEY_VARIABLE = "FLICKR_API_KEY";
  /** Environment variable holding the API secret. */
  public static final String SECRET_VARIABLE = "FLICKR_API_SECRET";

  /** True when an API key is configured. */
  public boolean hasKey() {
    return apiKey != null && !apiKey.isBlank();
  }

  @Override
  public String toString() {
    return "FlickrConfig[apiKey=" + (hasKey() ? "(hidden)" : "none") + ", apiSecret="
        + (apiSecret == null ? "none" : "(hidden)") + ", endpoint=" + endpoint + ", feedEndpoint=" + feedEndpoint + "]";
  }

  /** {@code $XDG_CONFIG_HOME/imgsearch/flickr.properties}, else {@code ~/.config/imgsearch/flickr.properties}. */
  public static Path defaultFile(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("imgsearch").resolve("flickr.properties");
  }

  /**
   * Reads the environment, then {@code file} (which may be missing). The key and secret from the environment
   * take precedence; endpoints come from the file only.
   *
   * @throws IOException when the file exists but cannot be read, or names an invalid endpoint
   */
  public static FlickrConfig load(Map<String, String> env, Path file) throws IOException {
    Properties p = new Properties();
    if (file != null && Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    String key = firstNonBlank(env.get(KEY_VARIABLE), p.getProperty("api_key"));
    String secret = env.get(KEY_VARIABLE) != null && !env.get(KEY_VARIABLE).isBlank()
        ? blankToNull(env.get(SECRET_VARIABLE))
        : firstNonBlank(env.get(SECRET_VARIABLE), p.getProperty("api_secret"));
    return new FlickrConfig(key, secret, uri(p, "endpoint", file), uri(p, "feed_endpoint", file));
  }

  private static URI uri(Properties p, String name, Path file) throws IOException {
    String v = blankToNull(p.getProperty(name));
    if (v == null) {
      return null;
    }
    try {
      return URI.create(v.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(name + " in " + file + " is not a valid URL: " + v);
    }
  }

  private static String firstNonBlank(String a, String b) {
    return Optional.ofNullable(blankToNull(a)).orElse(blankToNull(b));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
