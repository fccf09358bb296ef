package imgsearch.solr.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real SolrCloud on this machine: an embedded ZooKeeper and {@code nodes} Solr nodes, each a Jetty
 * server in this JVM bound to 127.0.0.1, started with {@link MiniSolrCloudCluster} from Solr's test
 * framework. For trying the Solr backend ({@code imgsearch index DIR --index solr://...}) and for the
 * integration tests; a production cluster runs Solr's own distribution instead.
 *
 * <p>Run it with {@code scripts/solr-cluster}; {@link #main} prints the {@code --index} URI to use. The
 * integration tests (module solr-it) load this class in a class loader of its own, away from the
 * application's Lucene, so its public methods take and return JDK types only.
 */
public final class LocalSolrCloud implements AutoCloseable {

  private final MiniSolrCloudCluster cluster;
  private final Path dir;
  private final boolean deleteOnClose;

  private LocalSolrCloud(MiniSolrCloudCluster cluster, Path dir, boolean deleteOnClose) {
    this.cluster = cluster;
    this.dir = dir;
    this.deleteOnClose = deleteOnClose;
  }

  /**
   * Starts a cluster.
   *
   * @param nodes number of Solr nodes, at least 1
   * @param firstPort port of the first node, the others following it; 0 for free ports
   * @param dir folder for ZooKeeper's and the nodes' data, kept so that a restart on the same folder and
   *     ports finds the collections again; null for a temporary folder deleted by {@link #close()}
   */
  public static LocalSolrCloud start(int nodes, int firstPort, Path dir) throws Exception {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
    }
    boolean temporary = dir == null;
    Path base = temporary ? Files.createTempDirectory("imgsearch-solrcloud") : dir.toAbsolutePath();
    boolean existing = !temporary && Files.isDirectory(base.resolve("zookeeper"));
    if (System.getProperty("solr.log.dir") == null) {
      System.setProperty("solr.log.dir", base.resolve("logs").toString());
    }
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(0, base)
        .formatZkServer(!existing)
        .build();
    try {
      for (int i = 0; i < nodes; i++) {
        // Built here rather than by cluster.startJettySolrRunner(name, ...), which insists on a new folder:
        // a restart on --dir reuses each node's folder, and so finds its cores again.
        Path home = Files.createDirectories(base.resolve("node" + (i + 1)));
        Properties props = new Properties();
        props.setProperty("zkHost", cluster.getZkServer().getZkAddress());
        JettyConfig config = JettyConfig.builder().setContext("/solr")
            .setPort(firstPort == 0 ? 0 : firstPort + i).build();
        cluster.startJettySolrRunner(new JettySolrRunner(home.toString(), props, config));
      }
      cluster.waitForAllNodes(60);
    } catch (Exception e) {
      cluster.shutdown();
      if (temporary) {
        deleteTree(base);
      }
      throw e;
    }
    return new LocalSolrCloud(cluster, base, temporary);
  }

  /** The running cluster. */
  public MiniSolrCloudCluster cluster() {
    return cluster;
  }

  /**
   * Stops node {@code index} (0-based, in start order) and waits until ZooKeeper no longer lists it as
   * live, so that requests are no longer routed to its replicas.
   *
   * @return the base URL of the stopped node
   */
  public String stopNode(int index) throws Exception {
    JettySolrRunner jetty = cluster.getJettySolrRunner(index);
    String url = jetty.getBaseUrl().toString();
    cluster.stopJettySolrRunner(jetty);
    cluster.waitForJettyToStop(jetty);
    return url;
  }

  /** Waits until {@code collection} has {@code shards} shards with {@code replicas} active replicas each. */
  public void waitForActiveCollection(String collection, int shards, int replicas) {
    cluster.waitForActiveCollection(collection, shards, shards * replicas);
  }

  /** For each shard of {@code collection}, the base URLs of the nodes holding its active replicas. */
  public Map<String, List<String>> activeReplicaNodes(String collection) {
    Map<String, List<String>> out = new TreeMap<>();
    Set<String> live = cluster.getZkStateReader().getClusterState().getLiveNodes();
    DocCollection state = cluster.getZkStateReader().getClusterState().getCollection(collection);
    for (Slice slice : state.getSlices()) {
      List<String> nodes = new ArrayList<>();
      for (Replica r : slice.getReplicas()) {
        if (r.isActive(live)) {
          nodes.add(r.getBaseUrl());
        }
      }
      out.put(slice.getName(), nodes);
    }
    return out;
  }

  /** Base URLs of the running nodes, e.g. {@code http://127.0.0.1:8983/solr}. */
  public List<String> baseUrls() {
    List<String> urls = new ArrayList<>();
    for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
      if (jetty.isRunning()) {
        urls.add(jetty.getBaseUrl().toString());
      }
    }
    return urls;
  }

  /** The {@code --index} URI of a collection on this cluster, naming every running node. */
  public String indexUri(String collection) {
    List<String> hosts = new ArrayList<>();
    for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
      if (jetty.isRunning()) {
        hosts.add("127.0.0.1:" + jetty.getLocalPort());
      }
    }
    return "solr://" + String.join(",", hosts) + "/" + collection;
  }

  /** ZooKeeper's address, for Solr's own tools. */
  public String zkHost() {
    return cluster.getZkServer().getZkAddress();
  }

  @Override
  public void close() throws IOException {
    try {
      cluster.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the cluster", e);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not stop the cluster: " + e, e);
    } finally {
      if (deleteOnClose) {
        deleteTree(dir);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** {@code [--nodes N] [--port P] [--dir DIR] [--collection NAME]}: runs a cluster until Ctrl-C. */
  public static void main(String[] args) throws Exception {
    int nodes = 2;
    int port = 8983;
    Path dir = null;
    String collection = "imgsearch";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(usage());
        return;
      }
      if (i + 1 >= args.length) {
        fail("option " + a + " needs a value");
      }
      String value = args[++i];
      switch (a) {
        case "--nodes" -> nodes = parseInt(a, value, 1, 9);
        case "--port" -> port = parseInt(a, value, 0, 65_000);
        case "--dir" -> dir = Path.of(value);
        case "--collection" -> collection = value;
        default -> fail("unknown option " + a);
      }
    }
    LocalSolrCloud cloud;
    try {
      cloud = start(nodes, port, dir);
    } catch (Exception e) {
      fail("could not start the cluster (" + e + "); if a port is taken, pick others with --port P, or "
          + "--port 0 for free ones");
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping the cluster...");
      try {
        cloud.close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e);
      }
      stopped.countDown();
    }, "solr-cluster-shutdown"));
    System.out.println();
    System.out.println("SolrCloud is running: " + nodes + " node(s), ZooKeeper at " + cloud.zkHost());
    for (String url : cloud.baseUrls()) {
      System.out.println("  node " + url + "  (admin UI: " + url + "/)");
    }
    System.out.println("Data: " + cloud.dir + (cloud.deleteOnClose ? " (deleted on exit; --dir keeps it)" : ""));
    System.out.println();
    System.out.println("Use it with:");
    System.out.println("  imgsearch index DIR --index " + cloud.indexUri(collection));
    System.out.println("  imgsearch search --image FILE --index " + cloud.indexUri(collection));
    System.out.println("Press Ctrl-C to stop.");
    System.out.println("INDEX_URI=" + cloud.indexUri(collection));
    System.out.flush();
    stopped.await();
  }

  private static String usage() {
    return """
        Usage: solr-cluster [--nodes N] [--port P] [--dir DIR] [--collection NAME]
          Starts a local SolrCloud (embedded ZooKeeper + N Solr nodes on 127.0.0.1) until Ctrl-C.
          --nodes N          Solr nodes (default 2)
          --port P           port of the first node, the next ones follow (default 8983; 0: free ports)
          --dir DIR          keep the cluster's data here across restarts (default: a temporary folder)
          --collection NAME  collection name in the printed --index URI (default imgsearch)""";
  }

  private static int parseInt(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    fail(option + " must be a number from " + min + " to " + max + ", not '" + value + "'");
    return min;
  }

  private static void fail(String message) {
    System.err.println("solr-cluster: " + message);
    System.err.println(usage());
    System.exit(2);
  }
}
