package imgsearch.web;

import imgsearch.index.ImageIndex;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A {@link TestCollection} served on a free port, with a client for it: what most web tests start from.
 * Closing stops the server, then closes the collection's index.
 */
final class ServedCollection implements AutoCloseable {

  final TestCollection photos;
  final WebServer server;
  final Http http;

  private ServedCollection(TestCollection photos, WebServer server) {
    this.photos = photos;
    this.server = server;
    this.http = new Http(server.port());
  }

  /** The collection under {@code tmp}, served with the test defaults (thumbnails under {@code tmp}). */
  static ServedCollection start(Path tmp) throws IOException {
    return start(tmp, config -> config, index -> index, null);
  }

  /**
   * @param config changes to the defaults (limits, ...)
   * @param index the index the server is given, from the collection's (e.g. {@link #watched})
   * @param uploadDecoder how uploads are decoded, or null for the server's own decoder
   */
  static ServedCollection start(Path tmp, UnaryOperator<ServerConfig> config, UnaryOperator<ImageIndex> index,
      UploadReader.Decoder uploadDecoder) throws IOException {
    TestCollection photos = TestCollection.create(tmp);
    try {
      ServerConfig served = config.apply(ServerConfig.defaults(photos.indexDir).withPort(0)
          .withCacheDir(tmp.resolve("thumbs")));
      WebServer server = WebServer.start(served, index.apply(photos.index), photos.registry, null, uploadDecoder);
      try {
        // Tests count and break what the index is asked: they start once its warm-up searches are over.
        server.warmedUp().join();
      } catch (RuntimeException e) {
        server.stop();
        throw e;
      }
      return new ServedCollection(photos, server);
    } catch (RuntimeException e) {
      photos.close();
      throw e;
    }
  }

  /** {@code index}, with {@code beforeEachCall} told of every method called on it first (it may throw). */
  static ImageIndex watched(ImageIndex index, Consumer<Method> beforeEachCall) {
    return (ImageIndex) Proxy.newProxyInstance(ImageIndex.class.getClassLoader(), new Class<?>[] {ImageIndex.class},
        (proxy, method, args) -> {
          beforeEachCall.accept(method);
          try {
            return method.invoke(index, args);
          } catch (InvocationTargetException wrapped) {
            throw wrapped.getCause();
          }
        });
  }

  @Override
  public void close() throws IOException {
    server.stop();
    photos.close();
  }
}
