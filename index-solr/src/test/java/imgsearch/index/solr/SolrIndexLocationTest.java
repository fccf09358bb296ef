package imgsearch.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.index.IndexUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolrIndexLocationTest {

  @Test
  void recognisesSolrUrisOnly() {
    assertTrue(SolrIndexLocation.isSolrUri("solr://127.0.0.1:8983/imgsearch"));
    assertTrue(SolrIndexLocation.isSolrUri(" SOLRS://solr.example.org/imgsearch"));
    assertFalse(SolrIndexLocation.isSolrUri("/home/me/index"));
    assertFalse(SolrIndexLocation.isSolrUri("http://127.0.0.1:8983/solr"));
    assertFalse(SolrIndexLocation.isSolrUri(null));
  }

  @Test
  void parsesHostsCollectionAndOptions() {
    SolrIndexLocation l = SolrIndexLocation.parse("solr://127.0.0.1:8983,127.0.0.1:8984/imgsearch");
    assertEquals(List.of("http://127.0.0.1:8983/solr", "http://127.0.0.1:8984/solr"), l.baseUrls());
    assertEquals("imgsearch", l.collection());
    assertEquals(0, l.shards());
    assertEquals(0, l.replicas());
    assertEquals(SolrIndexLocation.DEFAULT_RERANK, l.rerank());
    assertEquals("solr://127.0.0.1:8983,127.0.0.1:8984/imgsearch", l.toString());

    SolrIndexLocation o = SolrIndexLocation.parse("solrs://search.example.org/api/photos?shards=4&replicas=3&rerank=500");
    assertEquals(List.of("https://search.example.org:8983/api"), o.baseUrls());
    assertEquals("photos", o.collection());
    assertEquals(4, o.shards());
    assertEquals(3, o.replicas());
    assertEquals(500, o.rerank());
    assertEquals("solrs://search.example.org:8983/api/photos", o.toString());
  }

  @Test
  void badUrisSayWhatIsWrong() {
    assertMessage("solr://127.0.0.1:8983", "names no collection");
    assertMessage("solr://127.0.0.1:8983/a/b/c", "should end in /COLLECTION");
    assertMessage("solr://127.0.0.1:8983/bad name", "malformed");
    assertMessage("solr://127.0.0.1:8983/-x", "not a valid Solr collection name");
    assertMessage("solr://host:port/x", "is not HOST or HOST:PORT");
    assertMessage("solr://me:secret@127.0.0.1:8983/x", "IMGSEARCH_SOLR_USER");
    assertMessage("solr://127.0.0.1/x?shards=two", "shards=two");
    assertMessage("solr://127.0.0.1/x?colour=red", "unknown parameter");
    assertMessage("/data/index", "not a Solr index URI");
  }

  @Test
  void credentialsAreNeverPrinted() {
    assertFalse(new SolrImageIndex.Credentials("ann", "s3cret").toString().contains("s3cret"));
  }

  @Test
  void anUnreachableClusterIsReportedWithTheAddressAndWhatToDo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String uri = "solr://127.0.0.1:" + port + "/imgsearch";
    IndexUnavailableException e = assertThrows(IndexUnavailableException.class, () -> SolrIndexLocation.open(uri));
    assertTrue(e.getMessage().contains("cannot reach Solr"), e.getMessage());
    assertTrue(e.getMessage().contains("http://127.0.0.1:" + port + "/solr: connection refused"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/solr-cluster"), e.getMessage());
  }

  private static void assertMessage(String uri, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SolrIndexLocation.parse(uri));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
