package imgsearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.Metric;
import imgsearch.index.Attribution;
import imgsearch.index.ImageRecord;
import imgsearch.index.SearchHit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one JSON shape of search results: the web API's, which {@code imgsearch search --json} prints too. */
class ResultsViewTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static SearchResults results() {
    Attribution attribution = new Attribution("flickr", "javascript:alert(1)", null, "Fox", "Ann",
        "https://www.flickr.com/people/ann", "4", "CC BY 2.0", null, List.of(), null);
    ImageRecord fox = new ImageRecord("a1", "/photos/train/fox/f.jpg", "h", 10, 64, 48, "train", "fox", attribution,
        Set.of());
    ImageRecord plain = new ImageRecord("b2", "/photos/x.jpg", "h", 10, 32, 32, null, null, null, Set.of());
    return new SearchResults(List.of(new SearchHit(fox, 0.5), new SearchHit(plain, 1.5)), "hsv-hist",
        Metric.CHI_SQUARED, false, 7);
  }

  @Test
  void withoutLinksTheShapeIsTheApisWithoutUrls() throws Exception {
    JsonNode json = JSON.readTree(JSON.writeValueAsString(ResultsView.of(results(), 10,
        new ResultsView.QueryView("image", null, null), HitView.Links.NONE)));
    assertEquals(List.of("results", "descriptor", "metric", "higherIsBetter", "exact", "k", "tookMs", "query"),
        keys(json));
    assertEquals(Set.of("id", "path", "score", "class", "split", "width", "height", "attribution"),
        Set.copyOf(keys(json.get("results").get(0))));
    assertEquals(Set.of("id", "path", "score", "width", "height"), Set.copyOf(keys(json.get("results").get(1))),
        "unknowns are left out");
    assertEquals("chi2", json.get("metric").asText());
    assertFalse(json.get("higherIsBetter").asBoolean());
    assertEquals("image", json.get("query").get("type").asText());
    JsonNode attribution = json.get("results").get(0).get("attribution");
    assertEquals(Set.of("title", "owner", "ownerUrl", "license", "source"), Set.copyOf(keys(attribution)),
        "a javascript: page URL never becomes a link");
  }

  @Test
  void theWebAppAddsItsUrls() throws Exception {
    HitView.Links served = new HitView.Links() {
      @Override
      public String image(String id) {
        return "/api/images/" + id;
      }

      @Override
      public String thumbnail(String id) {
        return "/api/images/" + id + "/thumbnail";
      }
    };
    JsonNode hit = JSON.readTree(JSON.writeValueAsString(ResultsView.of(results(), 10, null, served)))
        .get("results").get(1);
    assertEquals(Set.of("id", "path", "score", "width", "height", "url", "thumbnailUrl"), Set.copyOf(keys(hit)));
    assertEquals("/api/images/b2/thumbnail", hit.get("thumbnailUrl").asText());
  }
}
