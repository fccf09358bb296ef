package imgsearch.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassNamesTest {

  @Test
  void termsBecomeSafeFolderNames() {
    assertEquals("red-fox", ClassNames.slug("Red Fox"));
    assertEquals("sailing-boat", ClassNames.slug("  sailing   boat! "));
    assertEquals("creme-brulee", ClassNames.slug("Crème brûlée"));
    assertEquals("etc-passwd", ClassNames.slug("../../etc/passwd"));
    assertTrue(ClassNames.slug("東京").startsWith("term-"));
    assertEquals(ClassNames.slug("東京"), ClassNames.slug("東京"));
    assertEquals(64, ClassNames.slug("a".repeat(200)).length());
  }

  @Test
  void termsThatShareAFolderAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CrawlOptions.builder(List.of("Red Fox", "red-fox"), Path.of("x")).build());
    assertTrue(e.getMessage().contains("red-fox"), e.getMessage());
  }

  @Test
  void optionsAreCheckedWithClearMessages() {
    assertThrows(IllegalArgumentException.class, () -> CrawlOptions.builder(List.of(), Path.of("x")).build());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrawlOptions.builder(List.of("a"), Path.of("x")).testRatio(1.0).build()).getMessage().contains("--test-ratio"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrawlOptions.builder(List.of("a"), Path.of("x")).source(SourceKind.FLICKR).build()).getMessage()
        .contains("FLICKR_API_KEY"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CrawlOptions.builder(List.of("a"), Path.of("x")).source(SourceKind.WEB).build()).getMessage()
        .contains("--seed-url"));
    assertEquals(SourceKind.FLICKR, CrawlOptions.builder(List.of("a"), Path.of("x")).flickrApiKey("k").build().source());
  }
}
