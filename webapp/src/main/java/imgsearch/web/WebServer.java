package imgsearch.web;

import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.eval.EvalFiles;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageIndex;
import imgsearch.index.IndexUnavailableException;
import imgsearch.model.ModelUnavailableException;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.ImageSearcher;
import imgsearch.search.SearchWarmUp;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.rendering.template.JavalinThymeleaf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresolver.FileTemplateResolver;

/**
 * The imgsearch HTTP server: the JSON API under {@code /api} and the web pages, over one index.
 *
 * <pre>{@code
 * try (WebServer server = WebServer.start(ServerConfig.defaults(dir), index, registry)) {
 *   System.out.println("Open " + server.url() + "/");
 * }
 * }</pre>
 *
 * <p>The caller owns the index and closes it after {@link #stop()}.
 */
public final class WebServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  /** Classpath folder of the packaged templates and assets (see webapp/pom.xml). */
  static final String RESOURCE_ROOT = "imgsearch-web";

  /** Request attribute holding the code of the error a request was answered with, for the log. */
  private static final String ERROR_ATTRIBUTE = "imgsearch.error";

  private static final Set<String> SEARCH_PATHS = Set.of("/api/search", "/search", "/compare");

  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; "
      + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Javalin app;
  private final ServerConfig config;
  private final DuplicatesCache duplicates;
  private final SearchWarmUp warmUp;
  /** The searches of the warm-up, run on a thread of their own once the server listens. */
  private final CompletableFuture<Integer> warmedUp = new CompletableFuture<>();

  private WebServer(Javalin app, ServerConfig config, DuplicatesCache duplicates, SearchWarmUp warmUp) {
    this.app = app;
    this.config = config;
    this.duplicates = duplicates;
    this.warmUp = warmUp;
  }

  /**
   * Starts serving {@code index} with templates and assets from the classpath.
   *
   * @param registry the descriptors this program can compute, to describe queries as the index was built
   */
  public static WebServer start(ServerConfig config, ImageIndex index, DescriptorRegistry registry) {
    return start(config, index, registry, null);
  }

  /**
   * Starts serving {@code index}; templates and assets are read from {@code assetsDir}/templates and
   * {@code assetsDir}/static without caching when it is not null (for editing them while it runs).
   *
   * <p>The models of the deep descriptors the index holds are loaded (downloaded if needed) before the
   * server listens. One that cannot be had does not stop the server: it serves with the other
   * descriptors, logs a warning, and says why on the pages and under {@code unavailable} in
   * {@code /api/descriptors} and {@code /api/health}. The caller closes the models after {@link #stop()}.
   */
  public static WebServer start(ServerConfig config, ImageIndex index, DescriptorRegistry registry, Path assetsDir) {
    return start(config, index, registry, assetsDir, null);
  }

  /**
   * As {@link #start(ServerConfig, ImageIndex, DescriptorRegistry, Path)}, decoding uploads with
   * {@code uploadDecoder} (null: an {@link ImageDecoder} under the config's limits), which tests observe.
   */
  static WebServer start(ServerConfig config, ImageIndex index, DescriptorRegistry registry, Path assetsDir,
      UploadReader.Decoder uploadDecoder) {
    DeepModelCheck models = new DeepModelCheck(registry);
    try {
      models.check(index.descriptors());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the index's descriptors: " + e.getMessage(), e);
    }
    DescriptorRegistry usable = models.usableRegistry();
    ImageSearcher searcher = new ImageSearcher(index, usable);
    Searches searches = new Searches(searcher);
    DescriptorCatalog catalog = new DescriptorCatalog(searcher, models);
    UploadReader uploads = new UploadReader(uploadDecoder != null ? uploadDecoder
        : new ImageDecoder(config.uploadLimits())::decode, config.maxUploadBytes());
    Thumbnails thumbnails = new Thumbnails(config.cacheDir(), config.thumbnailSize(), new ImageDecoder());
    ApiRoutes api = new ApiRoutes(searches, catalog, uploads, new ImageRoutes(searches, thumbnails));
    PageRoutes pages = new PageRoutes(searches, catalog, uploads, EvalFiles.forIndex(config.indexDir()),
        config.maxUploadBytes());

    Javalin app = Javalin.create(cfg -> configure(cfg, config, assetsDir));
    app.before(ctx -> {
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    });
    api.register(app);
    pages.register(app);
    DuplicatesCache duplicates = new DuplicatesCache(index, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    new DuplicateRoutes(index, duplicates, config.indexDir().toString(), pages::pageModel).register(app);
    app.exception(RequestError.class, (e, ctx) -> respond(ctx, e));
    app.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, switch (e.getStatus()) {
      case 404 -> RequestError.notFound("not_found", "there is nothing at " + SearchQuery.abbreviate(ctx.path()));
      case 405 -> new RequestError(405, "method_not_allowed", ctx.method() + " is not supported on " + ctx.path());
      default -> new RequestError(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
    }));
    app.exception(IndexUnavailableException.class, (e, ctx) ->
        respond(ctx, new RequestError(503, "index_unavailable", e.getMessage())));
    app.exception(ModelUnavailableException.class, (e, ctx) -> respond(ctx, RequestError.of(e)));
    app.exception(InvalidQueryException.class, (e, ctx) -> respond(ctx, RequestError.of(e)));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      respond(ctx, new RequestError(500, "internal_error",
          "the server could not answer (" + e.getClass().getSimpleName() + "); its log has the details"));
    });
    app.start(config.host(), config.port());
    WebServer server = new WebServer(app, config, duplicates, new SearchWarmUp(searcher));
    Thread.ofPlatform().daemon().name("imgsearch-warm-up").start(server::runWarmUp);
    return server;
  }

  /** Runs the warm-up searches; a failure only means the first searches will be slower, so it is logged. */
  private void runWarmUp() {
    long start = System.nanoTime();
    try {
      int searches = warmUp.run();
      LOG.debug("warm-up: {} searches in {} ms", searches, (System.nanoTime() - start) / 1_000_000);
      warmedUp.complete(searches);
    } catch (IOException | RuntimeException e) {
      LOG.debug("warm-up stopped: {}", e.toString());
      warmedUp.completeExceptionally(e);
    } finally {
      warmedUp.completeExceptionally(new IllegalStateException("the warm-up ended abnormally")); // no-op if done
    }
  }

  /**
   * Completes, with the number of searches, when the warm-up is done: every descriptor and metric searched
   * once or a few times as the server started ({@link SearchWarmUp}), so that the first searches people make
   * are not the ones the JIT compiles its code on. Exceptionally when it could not search (an empty index
   * that is not committed yet, say); the server serves either way.
   */
  public CompletableFuture<Integer> warmedUp() {
    return warmedUp;
  }

  private static void configure(JavalinConfig cfg, ServerConfig config, Path assetsDir) {
    cfg.showJavalinBanner = false;
    cfg.startupWatcherEnabled = false;
    long maxRequest = config.maxUploadBytes() + UploadReader.MULTIPART_OVERHEAD;
    cfg.http.maxRequestSize = maxRequest;
    cfg.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
    cfg.jetty.multipartConfig.maxTotalRequestSize(maxRequest, SizeUnit.BYTES);
    cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
    cfg.fileRenderer(new JavalinThymeleaf(templateEngine(assetsDir)));
    cfg.staticFiles.add(files -> {
      files.hostedPath = "/static";
      if (assetsDir != null) {
        files.directory = assetsDir.resolve("static").toAbsolutePath().toString();
        files.location = Location.EXTERNAL;
      } else {
        files.directory = "/" + RESOURCE_ROOT + "/static";
        files.location = Location.CLASSPATH;
        files.headers = Map.of("Cache-Control", "public, max-age=3600");
      }
    });
    cfg.requestLogger.http((ctx, ms) -> {
      if (SEARCH_PATHS.contains(ctx.path()) && (ctx.attribute(Searches.LOG_ATTRIBUTE) != null
          || ctx.attribute(ERROR_ATTRIBUTE) != null)) {
        Object what = ctx.attribute(Searches.LOG_ATTRIBUTE);
        LOG.info("{} {} {} in {} ms: {}", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms),
            what != null ? what : "refused: " + ctx.attribute(ERROR_ATTRIBUTE));
      }
    });
  }

  private static TemplateEngine templateEngine(Path assetsDir) {
    AbstractConfigurableTemplateResolver resolver;
    if (assetsDir != null) {
      resolver = new FileTemplateResolver();
      resolver.setPrefix(assetsDir.resolve("templates").toAbsolutePath() + "/");
      resolver.setCacheable(false);
    } else {
      resolver = new ClassLoaderTemplateResolver(WebServer.class.getClassLoader());
      resolver.setPrefix(RESOURCE_ROOT + "/templates/");
      resolver.setCacheable(true);
    }
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    TemplateEngine engine = new TemplateEngine();
    engine.setTemplateResolver(resolver);
    return engine;
  }

  /** JSON under {@code /api}, a page elsewhere. */
  private static void respond(Context ctx, RequestError e) {
    ctx.attribute(ERROR_ATTRIBUTE, e.code());
    ctx.status(e.status());
    if (ctx.path().startsWith("/api/")) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", e.getMessage());
      body.put("code", e.code());
      body.put("status", e.status());
      ctx.json(body);
    } else {
      ctx.header("Cache-Control", "no-store");
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("nav", "error");
      model.put("error", ErrorView.of(e));
      ctx.render("error", model);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** The base address to open in a browser, without a trailing slash, e.g. {@code http://127.0.0.1:7070}. */
  public String url() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "localhost";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /**
   * Stops accepting requests and waits for those in flight, and for the warm-up's search under way; the index
   * stays open.
   */
  public void stop() {
    warmUp.cancel();
    app.stop();
    duplicates.close();
    warmedUp.exceptionally(failure -> 0).join();
  }

  @Override
  public void close() {
    stop();
  }
}
