package imgsearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest lines and index records hold one {@link Attribution}; the JSON on disk stays as it was. */
class ManifestTest {

  /** Lines exactly as the crawler wrote them before the attribution was one record (imgsearch f81a8fd). */
  static final String FLICKR_LINE = "{\"id\":\"1001\",\"class\":\"fox\",\"split\":\"train\",\"file\":\"train/fox/1001.jpg\","
      + "\"sha256\":\"ab12\",\"width\":640,\"height\":480,\"source\":\"flickr\",\"page_url\":\"https://www.flickr.com/photos/x/1001/\","
      + "\"image_url\":\"https://live.staticflickr.com/1/1001_b.jpg\",\"title\":\"Red fox\",\"owner\":\"Fox Fan\","
      + "\"owner_url\":\"https://www.flickr.com/photos/x/\",\"license_id\":\"4\",\"license_name\":\"Attribution License\","
      + "\"license_url\":\"https://creativecommons.org/licenses/by/2.0/\",\"tags\":[\"red\",\"fox\"],"
      + "\"date_taken\":\"2020-05-01 10:00:00\"}";
  static final String WEB_LINE = "{\"id\":\"web-ab\",\"class\":\"fox\",\"split\":\"test\",\"file\":\"test/fox/web-ab.jpg\","
      + "\"sha256\":\"cd\",\"width\":10,\"height\":20,\"source\":\"web\",\"page_url\":\"https://example.org/\","
      + "\"image_url\":\"https://example.org/a.jpg\",\"title\":\"A fox\",\"tags\":[]}";
  /** An image's attribution as the index stored it before (camel case, nulls written). */
  static final String INDEX_JSON = "{\"title\":\"Red fox\",\"owner\":\"Fox Fan\",\"ownerUrl\":null,\"licenseId\":\"4\","
      + "\"licenseName\":\"Attribution License\",\"licenseUrl\":null,\"pageUrl\":\"https://www.flickr.com/photos/x/1001/\","
      + "\"imageUrl\":null,\"source\":\"flickr\",\"tags\":[\"red\"],\"dateTaken\":null}";

  @TempDir Path dir;

  @Test
  void oldLinesReadIntoTheEntryAndItsAttributionAndWriteBackByteForByte() throws IOException {
    Files.writeString(dir.resolve(Manifest.FILE_NAME), FLICKR_LINE + "\n" + WEB_LINE + "\n{\"id\":\"9\",\"cla");
    Map<String, ManifestEntry> entries = Manifest.read(dir);
    assertEquals(List.of("train/fox/1001.jpg", "test/fox/web-ab.jpg"), List.copyOf(entries.keySet()));

    ManifestEntry fox = entries.get("train/fox/1001.jpg");
    assertEquals("1001", fox.id());
    assertEquals("fox", fox.label());
    assertEquals(640, fox.width());
    assertEquals(new Attribution("flickr", "https://www.flickr.com/photos/x/1001/",
        "https://live.staticflickr.com/1/1001_b.jpg", "Red fox", "Fox Fan", "https://www.flickr.com/photos/x/", "4",
        "Attribution License", "https://creativecommons.org/licenses/by/2.0/", List.of("red", "fox"),
        "2020-05-01 10:00:00"), fox.attribution());
    ManifestEntry web = entries.get("test/fox/web-ab.jpg");
    assertNull(web.attribution().owner());
    assertEquals(List.of(), web.attribution().tags());

    assertEquals(FLICKR_LINE, Manifest.toLine(fox));
    assertEquals(WEB_LINE, Manifest.toLine(web));
    assertEquals(FLICKR_LINE, Manifest.toLine(fox.movedTo("train", "train/fox/1001.jpg")));
  }

  @Test
  void anyMapperReadsAndWritesTheSameLines() throws JsonProcessingException {
    ObjectMapper plain = new ObjectMapper();
    ManifestEntry fox = plain.readValue(FLICKR_LINE, ManifestEntry.class);
    assertEquals("Fox Fan", fox.attribution().owner());
    assertEquals(FLICKR_LINE, plain.writeValueAsString(fox));
    assertThrows(JsonProcessingException.class, () -> plain.readValue("[1, 2]", ManifestEntry.class));
  }

  @Test
  void theIndexStillReadsAndWritesAttributionInItsOwnSpelling() throws JsonProcessingException {
    ObjectMapper plain = new ObjectMapper();
    Attribution a = plain.readValue(INDEX_JSON, Attribution.class);
    assertEquals("Red fox", a.title());
    assertEquals("https://www.flickr.com/photos/x/1001/", a.pageUrl());
    assertEquals(a, plain.readValue(plain.writeValueAsString(a), Attribution.class));
    assertEquals(plain.readTree(INDEX_JSON), plain.readTree(plain.writeValueAsString(a)),
        "the same keys and values (in the manifest's order)");
  }
}
