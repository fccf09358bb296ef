package imgsearch.crawl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RobotsTxtTest {

  static final String AGENT = "imgsearch-crawler/0.1 (+https://example.org)";

  static boolean allows(RobotsTxt r, String path) {
    return r.allows(URI.create("http://example.org" + path));
  }

  @Test
  void theStarGroupAppliesWhenNoGroupNamesUs() {
    RobotsTxt r = RobotsTxt.parse("""
        User-agent: googlebot
        Disallow: /

        User-agent: *
        Disallow: /private/
        Allow: /private/public.html
        Disallow: /*.gif$
        Crawl-delay: 1.5
        """, AGENT);
    assertTrue(allows(r, "/"));
    assertTrue(allows(r, "/photos/a.jpg"));
    assertFalse(allows(r, "/private/x.html"));
    assertTrue(allows(r, "/private/public.html"), "the longer Allow wins");
    assertFalse(allows(r, "/anim/x.gif"));
    assertTrue(allows(r, "/anim/x.gif?v=2"), "$ anchors the end");
    assertEquals(Duration.ofMillis(1500), r.crawlDelay());
  }

  @Test
  void aGroupNamingUsReplacesTheStarGroup() {
    RobotsTxt r = RobotsTxt.parse("""
        User-agent: *
        Disallow: /

        User-agent: other
        User-agent: imgsearch-crawler
        Disallow: /no-images/
        """, AGENT);
    assertTrue(allows(r, "/gallery/"));
    assertFalse(allows(r, "/no-images/x.jpg"));
    assertEquals(Duration.ZERO, r.crawlDelay());
  }

  @Test
  void anEmptyDisallowAllowsEverything() {
    assertTrue(allows(RobotsTxt.parse("User-agent: *\nDisallow:\n", AGENT), "/anything"));
    assertTrue(allows(RobotsTxt.allowAll(), "/x"));
    assertFalse(allows(RobotsTxt.disallowAll(), "/x"));
  }
}
