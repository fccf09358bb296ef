package imgsearch.cli;

import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.web.ServerConfig;
import imgsearch.web.WebServer;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgsearch serve}: the web pages and the JSON API over an index, until Ctrl+C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the search web pages and the JSON API (/api/search, /api/images/ID, /api/descriptors, "
        + "/api/health) over the index.",
        "Searches see new images as soon as an 'imgsearch index' run in another terminal commits them.",
        "A deep model the index holds that cannot be had is left out (a warning, and a note on the page)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped with Ctrl+C",
        "1:could not start: the address or port is taken or not this computer's, no index or an unreadable one",
        "2:wrong arguments"})
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Mixin ModelLocation models;

  @Option(names = "--host", paramLabel = "ADDRESS",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this computer only; 0.0.0.0 for every network).")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(names = "--port", paramLabel = "N", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--max-upload-mb", paramLabel = "MB",
      description = "Largest photo accepted for upload, in MB (default ${DEFAULT-VALUE}).")
  int maxUploadMb = (int) (ServerConfig.DEFAULT_MAX_UPLOAD_BYTES >> 20);

  @Option(names = "--max-megapixels", paramLabel = "MP",
      description = "Largest width x height an uploaded photo may declare, in megapixels (default ${DEFAULT-VALUE}).")
  int maxMegapixels = (int) (ServerConfig.DEFAULT_MAX_PIXELS / 1_000_000);

  @Option(names = "--thumbnails", paramLabel = "DIR",
      description = "Where thumbnails are cached (default: INDEX/thumbnails).")
  Path thumbnails;

  @Option(names = "--assets", paramLabel = "DIR", hidden = true,
      description = "Read templates/ and static/ from DIR without caching, to edit them while serving.")
  Path assets;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Serving {@code location} on {@code host:port} with the default limits, as {@code imgsearch serve} does. */
  static ServeCommand of(IndexLocation location, ModelLocation models, String host, int port) {
    ServeCommand command = new ServeCommand();
    command.location = location;
    command.models = models;
    command.host = host;
    command.port = port;
    return command;
  }

  @Override
  public Integer call() throws Exception {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Starts the {@link WebServer} and waits until Ctrl+C or {@link #stop()}; problems go to {@code err}. */
  int run(PrintWriter out, PrintWriter err) throws Exception {
    if (port < 0 || port > 65535) {
      throw UserError.usage("--port must be between 0 and 65535, was " + port);
    }
    if (maxUploadMb < 1 || maxUploadMb > 1024) {
      throw UserError.usage("--max-upload-mb must be between 1 and 1024, was " + maxUploadMb);
    }
    if (maxMegapixels < 1) {
      throw UserError.usage("--max-megapixels must be at least 1, was " + maxMegapixels);
    }
    checkCanListen();
    Path indexDir = location.path();
    ServerConfig config = ServerConfig.defaults(indexDir).withHost(host).withPort(port)
        .withLimits((long) maxUploadMb << 20, maxMegapixels * 1_000_000L);
    if (thumbnails != null) {
      config = config.withCacheDir(thumbnails.toAbsolutePath());
    }
    ImageIndex index = location.openForReading();
    Descriptors descriptors;
    WebServer server;
    try {
      descriptors = Descriptors.load(models.options(err));
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    try {
      // Loads the indexed deep descriptors' models first; one that cannot be had is reported, not fatal.
      server = WebServer.start(config, index, descriptors.registry(), assets);
    } catch (JavalinBindException e) {
      // Only when another program took the port after checkCanListen (Javalin has logged it as well).
      closeQuietly(descriptors, index, err);
      throw portInUse(e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(descriptors, index, err);
      throw e;
    }
    Thread shutdown = new Thread(() -> close(server, descriptors, index, err), "imgsearch-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown); // Ctrl+C

    out.printf("Serving %d images from %s%n", index.count(ImageFilter.ALL), location.describe());
    if (!isLoopback(host)) {
      out.println("Listening on " + host + ": other computers on your network can search and view the images.");
    }
    out.println("Open " + server.url() + "/ in a browser (Ctrl+C to stop)");
    out.flush();
    stopped.await();
    Runtime.getRuntime().removeShutdownHook(shutdown);
    close(server, descriptors, index, err);
    return 0;
  }

  /**
   * Binds the address for a moment before the index is opened and the models are loaded, so that a
   * port in use is said at once, in one line, rather than after loading and with Javalin's error log.
   */
  private void checkCanListen() {
    if (port == 0) {
      return; // any free port
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Jetty does, so a port in TIME_WAIT is not taken for busy
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      String why = e.getMessage() == null ? "" : e.getMessage();
      if (why.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
        throw portInUse(why);
      }
      throw UserError.failure("cannot listen on " + host + ":" + port + " (" + why + "); is " + host
          + " an address of this computer? Choose another with --host ADDRESS");
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      throw UserError.failure("cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "); choose another address with --host ADDRESS or port with --port N");
    }
  }

  private UserError portInUse(String why) {
    return UserError.failure("cannot listen on " + host + ":" + port + " (" + why
        + "); is another server using it? Choose another with --port N");
  }

  /** Makes a running {@link #call()} stop the server and return (for embedding and tests; Ctrl+C also stops). */
  void stop() {
    stopped.countDown();
  }

  /** Stops the server, then releases the models and the index it was using. */
  private void close(WebServer server, Descriptors descriptors, ImageIndex index, PrintWriter err) {
    if (closed.compareAndSet(false, true)) {
      server.stop();
      closeQuietly(descriptors, index, err);
    }
  }

  private static void closeQuietly(Descriptors descriptors, ImageIndex index, PrintWriter err) {
    try {
      descriptors.close();
    } catch (RuntimeException e) {
      err.println("imgsearch serve: releasing the models failed: " + e.getMessage());
    }
    try {
      index.close();
    } catch (IOException e) {
      err.println("imgsearch serve: closing the index failed: " + e.getMessage());
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }
}
