package imgsearch.solr.it;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * A real SolrCloud ({@code imgsearch.solr.cluster.LocalSolrCloud}: embedded ZooKeeper and Solr nodes)
 * inside the test JVM, in a class loader of its own built from solr-cluster's packaged jar and
 * {@code lib/}. Its parent is the platform class loader, so Solr's Lucene 9 and Jetty 10 never meet the
 * application's Lucene 10 on the test classpath, and the test talks to the nodes over HTTP like any client.
 *
 * <p>Solr looks classes up through the thread's context class loader, so every call into the cluster runs
 * with that set to the cluster's loader.
 */
final class SolrCloudInJvm implements AutoCloseable {

  private static final String LAUNCHER = "imgsearch.solr.cluster.LocalSolrCloud";

  private final URLClassLoader loader;
  private final Object cloud;

  private SolrCloudInJvm(URLClassLoader loader, Object cloud) {
    this.loader = loader;
    this.cloud = cloud;
  }

  /** Starts {@code nodes} Solr nodes on free loopback ports, with data in a temporary folder. */
  static SolrCloudInJvm start(int nodes) throws Exception {
    URLClassLoader loader = new URLClassLoader("solr-cluster", clusterJars(), ClassLoader.getPlatformClassLoader());
    try {
      Class<?> launcher = loader.loadClass(LAUNCHER);
      Method start = launcher.getMethod("start", int.class, int.class, Path.class);
      Object cloud = inLoader(loader, () -> start.invoke(null, nodes, 0, null));
      return new SolrCloudInJvm(loader, cloud);
    } catch (Exception e) {
      loader.close();
      throw e;
    }
  }

  private static URL[] clusterJars() throws IOException {
    String home = System.getProperty("imgsearch.solr.cluster.home");
    Path dir = home == null ? null : Path.of(home);
    Path jar = dir == null ? null : dir.resolve("imgsearch-solr-cluster.jar");
    if (jar == null || !Files.isRegularFile(jar) || !Files.isDirectory(dir.resolve("lib"))) {
      throw new IllegalStateException("solr-cluster is not packaged (looked in " + home + "); run the tests "
          + "through the reactor, e.g. ./mvnw -pl solr-it -am verify");
    }
    List<URL> urls = new ArrayList<>();
    urls.add(jar.toUri().toURL());
    try (Stream<Path> libs = Files.list(dir.resolve("lib"))) {
      for (Path lib : libs.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(lib.toUri().toURL());
      }
    }
    return urls.toArray(URL[]::new);
  }

  /** The {@code solr://} URI of a collection, naming every running node. */
  String indexUri(String collection) throws Exception {
    return (String) call("indexUri", new Class<?>[] {String.class}, collection);
  }

  /** Base URLs of the running nodes. */
  @SuppressWarnings("unchecked")
  List<String> baseUrls() throws Exception {
    return (List<String>) call("baseUrls", new Class<?>[0]);
  }

  /** Stops node {@code index} and waits until the cluster sees it gone; returns its base URL. */
  String stopNode(int index) throws Exception {
    return (String) call("stopNode", new Class<?>[] {int.class}, index);
  }

  /** Waits until every shard of the collection has its replicas active. */
  void waitForActiveCollection(String collection, int shards, int replicas) throws Exception {
    call("waitForActiveCollection", new Class<?>[] {String.class, int.class, int.class}, collection, shards, replicas);
  }

  /** Shard name to the base URLs of the nodes holding its active replicas. */
  @SuppressWarnings("unchecked")
  Map<String, List<String>> activeReplicaNodes(String collection) throws Exception {
    return (Map<String, List<String>>) call("activeReplicaNodes", new Class<?>[] {String.class}, collection);
  }

  private Object call(String method, Class<?>[] types, Object... args) throws Exception {
    Method m = cloud.getClass().getMethod(method, types);
    return inLoader(loader, () -> m.invoke(cloud, args));
  }

  private static Object inLoader(ClassLoader loader, Callable<Object> call) throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return call.call();
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      call("close", new Class<?>[0]);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not stop the cluster: " + e, e);
    } finally {
      loader.close();
    }
  }
}
