package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code imgsearch serve}: bad options, a missing index, and a real server that answers until stopped. */
class ServeCommandTest {

  @TempDir Path tmp;

  @Test
  void badPortIsAUsageError() {
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "serve", "--index", tmp.toString(), "--port", "70000");
    assertEquals(2, exit);
    assertTrue(err.toString().contains("--port must be between 0 and 65535"), err.toString());
  }

  @Test
  void missingIndexSaysHowToBuildOne() {
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "serve", "--index", tmp.resolve("none").toString(), "--port", "0");
    assertEquals(1, exit);
    assertTrue(err.toString().contains("imgsearch index"), err.toString());
  }

  @Test
  void aPortAlreadyInUseIsOneLineAndExitCodeOne() throws Exception {
    Path index = classicIndex();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliRun r = CliRun.of("serve", "--index", index.toString(), "--host", "127.0.0.1", "--port",
          Integer.toString(port));
      assertEquals(1, r.exit(), r.all());
      assertEquals(1, r.complaints().size(), "one line, nothing logged: " + r.all());
      String line = r.complaints().get(0);
      assertTrue(line.startsWith("imgsearch serve: cannot listen on 127.0.0.1:" + port + " ("), line);
      assertTrue(line.contains("--port N"), line);
      assertEquals("", r.out());
    }
  }

  @Test
  void aDamagedIndexIsOneLineAndExitCodeOne() throws Exception {
    Path index = classicIndex();
    try (Stream<Path> files = Files.list(index.resolve("lucene"))) {
      for (Path segments : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
        byte[] bytes = Files.readAllBytes(segments);
        Files.write(segments, java.util.Arrays.copyOf(bytes, 20)); // cut short, as by a full disk
      }
    }
    CliRun r = CliRun.of("serve", "--index", index.toString(), "--port", "0");
    assertEquals(1, r.exit(), r.all());
    assertEquals(1, r.complaints().size(), r.all());
    assertTrue(r.complaints().get(0).startsWith("imgsearch serve: cannot read the index at " + index + ": its files"
        + " are damaged"), r.all());
  }

  private Path classicIndex() throws IOException {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 2; i++) {
      TestImages.write(photos, "p" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(i, 48, 32), 0.9f));
    }
    Path index = tmp.resolve("index");
    assertEquals(0, CliRun.of("index", photos.toString(), "--index", index.toString(), "--descriptors", "hsv-hist")
        .exit());
    return index;
  }

  @Test
  void servesTheIndexUntilStoppedAndPrintsItsUrl() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 4; i++) {
      TestImages.write(photos, "p" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(i, 64, 48), 0.9f));
    }
    Path index = tmp.resolve("index");
    assertEquals(0, Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
        "index", photos.toString(), "--index", index.toString(), "--pixel-size", "16"));

    UrlWatcher out = new UrlWatcher();
    ServeCommand serve = new ServeCommand();
    CommandLine cmd = new CommandLine(serve).setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> cmd.execute("--index", index.toString(), "--port", "0"));
    String url = out.url.get(60, TimeUnit.SECONDS);
    try {
      assertServes(url, 4);
      assertTrue(out.text.toString().contains("Serving 4 images"), out.text.toString());
    } finally {
      serve.stop();
    }
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
  }

  /** The server at {@code url} answers its health check with {@code images} images. */
  static void assertServes(String url, int images) throws IOException, InterruptedException {
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url + "api/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"images\":" + images), health.body());
  }

  /** Collects what the command prints and completes {@link #url} once it prints the address to open. */
  static final class UrlWatcher extends Writer {
    private static final Pattern OPEN = Pattern.compile("Open (http://\\S+/) ");
    final StringBuffer text = new StringBuffer();
    final CompletableFuture<String> url = new CompletableFuture<>();

    @Override
    public void write(char[] buf, int off, int len) {
      text.append(buf, off, len);
      Matcher m = OPEN.matcher(text);
      if (m.find()) {
        url.complete(m.group(1));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() throws IOException {}
  }
}
