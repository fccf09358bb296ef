package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.EdgeColourDescriptor;
import imgsearch.descriptor.PerceptualHashDescriptor;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.image.ImageDecoder;
import imgsearch.index.IndexListener;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.DuplicateCollection;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Duplicates page and {@code GET /api/duplicates} over real HTTP, on a collection with known duplicates. */
class DuplicatesTest {

  @TempDir static Path tmp;
  static Path photos;
  static LuceneImageIndex index;
  static WebServer server;
  static Http http;

  /** The generated collection of {@link DuplicateCollection}, indexed as {@code imgsearch index} would. */
  static LuceneImageIndex indexDuplicates(Path photos, Path indexDir) throws IOException {
    LuceneImageIndex index = LuceneImageIndex.open(indexDir);
    new Indexer(index, new ImageDecoder(), List.of(new EdgeColourDescriptor(), new PerceptualHashDescriptor()), 2)
        .index(photos, IndexListener.NONE);
    return index;
  }

  @BeforeAll
  static void start() throws IOException {
    photos = DuplicateCollection.write(tmp.resolve("photos"));
    index = indexDuplicates(photos, tmp.resolve("index"));
    server = WebServer.start(ServerConfig.defaults(tmp.resolve("index")).withPort(0).withCacheDir(tmp.resolve("thumbs")),
        index, ClassicDescriptors.registry());
    http = new Http(server.port());
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.stop();
    }
    if (index != null) {
      index.close();
    }
  }

  @Test
  void apiReturnsTheGroupsKeeperFirstWithLinks() {
    HttpResponse<String> r = http.get("/api/duplicates");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Http.json(r);
    assertEquals("done", body.get("status").asText());
    assertEquals("edge-colour", body.get("descriptor").asText());
    assertEquals(new imgsearch.descriptor.EdgeColourDescriptor().spec().title(), body.get("vectors").asText());
    assertEquals(DuplicateMeasure.EDGE_COLOUR_DEFAULT, body.get("threshold").asDouble());
    assertEquals(15, body.get("compared").asInt());
    assertEquals(3, body.get("groupCount").asInt());
    assertEquals(1, body.get("pages").asInt());
    Set<Set<String>> groups = new HashSet<>();
    int rank = 1;
    for (JsonNode g : body.get("groups")) {
      assertEquals(rank++, g.get("rank").asInt());
      JsonNode keeper = g.get("images").get(0);
      assertTrue(keeper.get("keep").asBoolean());
      assertEquals(DuplicateCollection.GROUPS.values().stream().map(l -> photos.resolve(l.get(0)).toString())
          .filter(p -> p.equals(keeper.get("path").asText())).count(), 1, "the expected keeper: " + g);
      Set<String> members = new HashSet<>();
      for (JsonNode image : g.get("images")) {
        String id = image.get("id").asText();
        assertEquals("/api/images/" + id, image.get("url").asText());
        assertEquals("/api/images/" + id + "/thumbnail", image.get("thumbnailUrl").asText());
        assertEquals("/search?id=" + id, image.get("similarUrl").asText());
        members.add(photos.relativize(Path.of(image.get("path").asText())).toString());
      }
      groups.add(members);
    }
    assertEquals(DuplicateCollection.groupSets(), groups);
  }

  @Test
  void apiThresholdDescriptorAndPaging() {
    JsonNode strict = Http.json(http.get("/api/duplicates?threshold=1"));
    assertTrue(strict.get("groupCount").asInt() < 3, strict.toString());
    JsonNode hash = Http.json(http.get("/api/duplicates?descriptor=phash"));
    assertEquals("phash", hash.get("descriptor").asText());
    assertEquals(6.0, hash.get("threshold").asDouble());
    assertEquals(3, hash.get("groupCount").asInt());
    JsonNode page2 = Http.json(http.get("/api/duplicates?size=1&page=2"));
    assertEquals(3, page2.get("pages").asInt());
    assertEquals(1, page2.get("groups").size());
    assertEquals(2, page2.get("groups").get(0).get("rank").asInt());
    assertEquals(Http.json(http.get("/api/duplicates")).get("groups").get(1), page2.get("groups").get(0));
  }

  @Test
  void apiRefusesBadParametersWithAReason() {
    for (String query : List.of("threshold=abc", "threshold=0.5", "threshold=1.5", "descriptor=phash&threshold=40",
        "descriptor=phash&threshold=2.5", "descriptor=pixels", "page=0", "size=1000")) {
      HttpResponse<String> r = http.get("/api/duplicates?" + query);
      assertEquals(400, r.statusCode(), query + ": " + r.body());
      assertFalse(Http.json(r).get("error").asText().isBlank());
    }
    assertEquals("bad_threshold", Http.json(http.get("/api/duplicates?threshold=abc")).get("code").asText());
  }

  @Test
  void pageShowsGroupsAsRowsOfThumbnailsKeeperMarkedWithLinks() {
    HttpResponse<String> r = http.get("/duplicates");
    assertEquals(200, r.statusCode(), r.body());
    String html = r.body();
    assertTrue(html.contains("<title>Duplicates · imgsearch</title>"), html);
    assertTrue(html.contains("href=\"/duplicates\" aria-current=\"page\""), "the navigation marks the page");
    assertEquals(3, count(html, "class=\"dup-group\""));
    assertEquals(3, count(html, "class=\"keep-badge\">Keep<"));
    assertEquals(9, count(html, "class=\"dup-image"));
    assertTrue(html.contains("3 groups"), html);
    assertTrue(html.contains("type=\"range\""), "a threshold slider");
    assertTrue(html.replaceAll("\\s+", " ").contains("min=\"0.900\" max=\"1.000\" step=\"0.005\" value=\""
        + java.math.BigDecimal.valueOf(DuplicateMeasure.EDGE_COLOUR_DEFAULT).stripTrailingZeros().toPlainString() + "\""),
        html);
    assertTrue(html.contains("<label for=\"threshold\">"), "the slider is labelled");
    Matcher image = Pattern.compile("href=\"/api/images/([0-9a-f]+)\"").matcher(html);
    assertTrue(image.find(), "each image links to its full view");
    assertTrue(html.contains("href=\"/search?id=" + image.group(1) + "\""), "and to more like it");
    for (String unrelated : DuplicateCollection.UNRELATED) {
      assertFalse(html.contains(Path.of(unrelated).getFileName().toString()), unrelated);
    }
    String hash = http.get("/duplicates?descriptor=phash&threshold=0").body();
    assertTrue(hash.contains("Differing bits at most"), hash);
    assertTrue(hash.contains("0 bits"), hash);
  }

  @Test
  void pagingLinksKeepTheThreshold() {
    String html = http.get("/duplicates?threshold=0.96&size=1&page=2").body();
    assertEquals(1, count(html, "class=\"dup-group\""));
    assertTrue(html.contains("Page 2 of"), html);
    assertTrue(html.contains("href=\"/duplicates?threshold=0.960&amp;size=1&amp;page=1\""), html);
    assertTrue(html.contains("href=\"/duplicates?threshold=0.960&amp;size=1&amp;page=3\""), html);
    HttpResponse<String> bad = http.get("/duplicates?threshold=zero");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("role=\"alert\""), bad.body());
  }

  @Test
  void emptyOneImageAndUnsuitableIndexesSaySo() throws IOException {
    Path emptyDir = tmp.resolve("empty-index");
    try (LuceneImageIndex empty = LuceneImageIndex.open(emptyDir);
         WebServer s = WebServer.start(ServerConfig.defaults(emptyDir).withPort(0), empty, ClassicDescriptors.registry())) {
      empty.commit();
      Http h = new Http(s.port());
      assertTrue(h.get("/duplicates").body().contains("The index is empty"));
      JsonNode json = Http.json(h.get("/api/duplicates"));
      assertEquals(0, json.get("groupCount").asInt(), json.toString());
    }

    Path one = Files.createDirectories(tmp.resolve("one"));
    TestImages.write(one, "only.jpg", TestImages.jpeg(TestImages.photoLike(3, 160, 120), 0.9f));
    Path oneDir = tmp.resolve("one-index");
    try (LuceneImageIndex single = indexDuplicates(one, oneDir);
         WebServer s = WebServer.start(ServerConfig.defaults(oneDir).withPort(0), single, ClassicDescriptors.registry())) {
      Http h = new Http(s.port());
      String html = h.get("/duplicates").body();
      assertTrue(html.contains("0 groups") && html.contains("No near-duplicates at this threshold."), html);
      assertEquals(0, Http.json(h.get("/api/duplicates")).get("groupCount").asInt());
    }

    TestCollection other = TestCollection.create(tmp.resolve("hsv-only"));
    try (WebServer s = WebServer.start(ServerConfig.defaults(other.indexDir).withPort(0), other.index, other.registry)) {
      Http h = new Http(s.port());
      String html = h.get("/duplicates").body();
      assertTrue(html.contains("Cannot look for duplicates") && html.contains("--descriptors edge-colour"), html);
      HttpResponse<String> api = h.get("/api/duplicates");
      assertEquals(409, api.statusCode(), api.body());
      assertEquals("no_duplicate_descriptor", Http.json(api).get("code").asText());
    } finally {
      other.close();
    }
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
