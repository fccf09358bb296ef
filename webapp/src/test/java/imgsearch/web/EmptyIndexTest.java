package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server over an index with nothing in it yet says so instead of failing. */
class EmptyIndexTest {

  @TempDir Path tmp;

  @Test
  void searchesExplainThatTheIndexIsEmpty() throws IOException {
    Path dir = tmp.resolve("index");
    try (LuceneImageIndex index = LuceneImageIndex.open(dir);
         WebServer server = WebServer.start(ServerConfig.defaults(dir).withPort(0), index, TestCollection.registry())) {
      index.commit();
      Http http = new Http(server.port());

      JsonNode health = Http.json(http.get("/api/health"));
      assertEquals(0, health.get("images").asInt());

      HttpResponse<String> search = http.post("/api/search",
          new Http.Multipart().image(TestImages.jpeg(TestImages.photoLike(1, 64, 48), 0.9f)));
      assertEquals(503, search.statusCode(), search.body());
      assertEquals("empty_index", Http.json(search).get("code").asText());
      assertTrue(Http.json(search).get("error").asText().contains("imgsearch index"));

      HttpResponse<String> page = http.get("/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("The index holds no searchable images yet"), page.body());
      assertTrue(http.get("/browse").body().contains("The index is empty."));
      assertTrue(http.get("/eval").body().contains("Evaluation needs a collection with"));
    }
  }
}
