package imgsearch.solr.it;

import static imgsearch.solr.it.TestCollections.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.ImageFilter;
import imgsearch.index.SearchHit;
import imgsearch.index.VectorQuery;
import imgsearch.index.solr.SolrImageIndex;
import imgsearch.index.solr.SolrIndexLocation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node of a replicated collection stops: searches go on through the other one. */
class SolrFailoverIT {

  private static final int VECTORS = 300;
  static SolrCloudInJvm cloud;

  @BeforeAll
  static void startCluster() throws Exception {
    cloud = SolrCloudInJvm.start(2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void searchesKeepWorkingWhenTheNodeTheClientUsesStops() throws Exception {
    List<String> nodes = cloud.baseUrls();
    String first = nodes.get(0).replace("http://", "").replace("/solr", "");
    String second = nodes.get(1).replace("http://", "").replace("/solr", "");
    List<float[]> vectors = TestCollections.clustered(3, VECTORS + 1, 16, 10);
    float[] query = vectors.get(VECTORS);
    DescriptorSpec spec = TestCollections.spec("hist", 16, Metric.L2, Metric.L1);
    VectorQuery knn = new VectorQuery(spec, Metric.L2, query, 10, false, ImageFilter.ALL, null);
    VectorQuery exact = new VectorQuery(spec, Metric.L1, query, 10, true, new ImageFilter("test", null), null);

    // Only the first node is named: the client learns the second from the cluster.
    try (SolrImageIndex index = SolrIndexLocation.open("solr://" + first + "/failover?shards=2&replicas=2")) {
      index.registerDescriptor(spec);
      TestCollections.writeVectors(index, Map.of("hist", vectors.subList(0, VECTORS)), VECTORS);
      index.commit();
      cloud.waitForActiveCollection("failover", 2, 2);
      for (List<String> holders : cloud.activeReplicaNodes("failover").values()) {
        assertEquals(2, new HashSet<>(holders).size(), "every shard has a replica on each node");
      }
      List<SearchHit> knnBefore = index.search(knn);
      List<SearchHit> exactBefore = index.search(exact);
      assertEquals(10, knnBefore.size());

      assertEquals(nodes.get(0), cloud.stopNode(0));

      assertEquals(ids(knnBefore), ids(index.search(knn)));
      assertEquals(ids(exactBefore), ids(index.search(exact)));
      assertEquals(VECTORS, index.count(ImageFilter.ALL));
      assertTrue(index.get("v7").isPresent());

      // A new client naming the stopped node first reaches the cluster through the second.
      try (SolrImageIndex fresh = SolrIndexLocation.open("solr://" + first + "," + second + "/failover")) {
        assertEquals(ids(knnBefore), ids(fresh.search(knn)));
        assertEquals(VECTORS, fresh.count(ImageFilter.ALL));
      }
    }
  }
}
