package imgsearch.index.solr;

import imgsearch.index.IndexUnavailableException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.URLUtil;

/**
 * The nodes of one SolrCloud cluster, each reached through the JDK's HTTP client
 * ({@link HttpJdkSolrClient}). Any node answers for the whole cluster, so a call goes to the node that
 * answered last and moves on to the next when it cannot be reached. SolrJ's load-balancing clients need
 * its Jetty HTTP client, whose Jetty 10 would clash with the web app's Jetty 11, hence this small loop.
 */
final class SolrNodes implements Closeable {

  /** One call against one node. */
  @FunctionalInterface
  interface Call<T> {
    T apply(SolrClient client) throws SolrServerException, IOException;
  }

  private final Map<String, SolrClient> clients = new LinkedHashMap<>();
  private final SolrImageIndex.Credentials credentials;
  private final String scheme;
  private volatile String preferred;

  SolrNodes(List<String> baseUrls, SolrImageIndex.Credentials credentials) {
    this.credentials = credentials;
    this.scheme = baseUrls.get(0).startsWith("https:") ? "https" : "http";
    for (String url : baseUrls) {
      clients.put(url, client(url));
    }
    this.preferred = baseUrls.get(0);
  }

  private SolrClient client(String baseUrl) {
    HttpJdkSolrClient.Builder b = new HttpJdkSolrClient.Builder(baseUrl)
        .withConnectionTimeout(5, TimeUnit.SECONDS)
        .withRequestTimeout(10, TimeUnit.MINUTES)
        // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade cannot carry a request body (our POSTs).
        .useHttp1_1(true);
    if (credentials != null) {
      b.withBasicAuthCredentials(credentials.user(), credentials.password());
    }
    return b.build();
  }

  /** The node URLs known so far, the preferred one first. */
  synchronized List<String> urls() {
    List<String> out = new ArrayList<>(clients.keySet());
    out.remove(preferred);
    out.add(0, preferred);
    return out;
  }

  /**
   * Runs {@code call} on the preferred node, then on the others while nodes cannot be reached.
   *
   * @throws IndexUnavailableException when no node answers
   * @throws IOException when Solr answers with an error (the message is Solr's)
   */
  <T> T call(String what, Call<T> call) throws IOException {
    List<String> tried = new ArrayList<>();
    Exception last = null;
    for (String url : urls()) {
      SolrClient client;
      synchronized (this) {
        client = clients.get(url);
      }
      try {
        T result = call.apply(client);
        preferred = url;
        return result;
      } catch (SolrServerException | IOException e) {
        // No answer from this node (refused, reset, timed out): the next one may be up.
        tried.add(url);
        last = e;
      } catch (SolrException e) {
        if (e.code() == SolrException.ErrorCode.SERVICE_UNAVAILABLE.code) {
          tried.add(url);
          last = e;
          continue;
        }
        throw new IOException("Solr at " + url + " refused to " + what + ": " + firstLine(e.getMessage()), e);
      }
    }
    throw new IndexUnavailableException("cannot reach Solr to " + what + " (tried " + String.join(", ", tried)
        + ": " + rootMessage(last) + "). Is the cluster running and the address right? For a local cluster run "
        + "scripts/solr-cluster and use the URI it prints.", last);
  }

  /** Adds the cluster's live nodes to the ones to try, so that one given URL is enough for failover. */
  void learnLiveNodes() throws IOException {
    NamedList<Object> status = call("read the cluster status",
        c -> CollectionAdminRequest.getClusterStatus().process(c).getResponse());
    Object cluster = status.get("cluster");
    if (!(cluster instanceof NamedList<?> nl) || !(nl.get("live_nodes") instanceof List<?> live)) {
      return;
    }
    synchronized (this) {
      for (Object node : live) {
        String url = URLUtil.getBaseUrlForNodeName(String.valueOf(node), scheme);
        clients.computeIfAbsent(url, this::client);
      }
    }
  }

  /** How many nodes are live, as the cluster reports it. */
  int liveNodeCount() throws IOException {
    NamedList<Object> status = call("read the cluster status",
        c -> CollectionAdminRequest.getClusterStatus().process(c).getResponse());
    if (status.get("cluster") instanceof NamedList<?> nl && nl.get("live_nodes") instanceof List<?> live) {
      return live.size();
    }
    return 1;
  }

  /** Why a node did not answer, in words: the JDK's connect errors often carry no message. */
  private static String rootMessage(Throwable t) {
    if (t == null) {
      return "no node listed";
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.http.HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (c instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (c instanceof java.net.http.HttpTimeoutException) {
        return "no answer in time";
      }
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + firstLine(m));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public synchronized void close() throws IOException {
    IOException first = null;
    for (SolrClient c : clients.values()) {
      try {
        c.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    clients.clear();
    if (first != null) {
      throw first;
    }
  }
}
