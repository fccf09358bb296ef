package imgsearch.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times POST requests with wrk (Debian's {@code wrk}), a load generator in a process of its own, over one
 * kept-alive connection: the server's answer time without the measuring client's work on the same JVM and
 * cores (the in-process {@code java.net.http} client adds its own milliseconds to every request).
 */
public final class WrkClient {

  /** What wrk measured: latency percentiles in milliseconds and the number of requests. */
  public record Result(double p50Ms, double p90Ms, double p99Ms, long requests) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, %d requests", p50Ms, p90Ms, p99Ms,
          requests);
    }
  }

  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
  private static final Pattern REQUESTS = Pattern.compile("^\\s*(\\d+) requests in ");

  private final Path wrk;

  private WrkClient(Path wrk) {
    this.wrk = wrk;
  }

  /** wrk from the PATH, if it is installed. */
  public static Optional<WrkClient> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "wrk");
      if (Files.isExecutable(candidate)) {
        return Optional.of(new WrkClient(candidate));
      }
    }
    return Optional.empty();
  }

  /**
   * POSTs {@code bodies} in turn to {@code uri} for {@code seconds} (after as long a warm-up), one request at
   * a time.
   *
   * @throws IOException when wrk fails or a response is not a success
   */
  public Result post(URI uri, String contentType, List<byte[]> bodies, int seconds, Path work) throws IOException {
    Path dir = Files.createDirectories(work.resolve("wrk"));
    for (int i = 0; i < bodies.size(); i++) {
      Files.write(dir.resolve("body-" + i + ".bin"), bodies.get(i));
    }
    Path script = dir.resolve("upload.lua");
    try (InputStream in = WrkClient.class.getResourceAsStream("scripts/wrk_upload.lua")) {
      Files.copy(in, script);
    }
    run(uri, contentType, dir, script, seconds); // warm-up
    return parse(run(uri, contentType, dir, script, seconds));
  }

  private String run(URI uri, String contentType, Path bodies, Path script, int seconds) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(wrk.toString(), "-t1", "-c1", "-d" + seconds + "s", "--latency", "-s",
        script.toString(), uri.getScheme() + "://" + uri.getAuthority()).redirectErrorStream(true);
    pb.environment().put("WRK_BODIES", bodies.toString());
    pb.environment().put("WRK_PATH", uri.getRawPath());
    pb.environment().put("WRK_CONTENT_TYPE", contentType);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("wrk failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while wrk ran", e);
    }
    if (out.contains("Non-2xx or 3xx responses")) {
      throw new IOException("the server answered some of wrk's requests with an error:\n" + out);
    }
    return out;
  }

  /** The percentiles and request count of wrk's {@code --latency} report. */
  static Result parse(String report) throws IOException {
    double[] ms = new double[3];
    long requests = -1;
    for (String line : report.lines().toList()) {
      Matcher m = PERCENTILE.matcher(line);
      if (m.matches()) {
        double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
          case "us" -> 0.001;
          case "ms" -> 1;
          default -> 1000;
        };
        ms[switch (m.group(1)) {
          case "50" -> 0;
          case "90" -> 1;
          default -> 2;
        }] = v;
      }
      Matcher r = REQUESTS.matcher(line);
      if (r.find()) {
        requests = Long.parseLong(r.group(1));
      }
    }
    if (requests < 0 || ms[0] == 0) {
      throw new IOException("cannot read wrk's report:\n" + report);
    }
    return new Result(ms[0], ms[1], ms[2], requests);
  }
}
