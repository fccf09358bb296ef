package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.eval.EvalFiles;
import imgsearch.eval.EvalReport;
import imgsearch.eval.Evaluator;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The web pages over real HTTP: each page, escaping of crawled text, and friendly error pages. */
class PagesTest {

  static final long MAX_UPLOAD = 1L << 20;

  @TempDir
  static Path tmp;
  static ServedCollection served;
  static TestCollection photos;
  static Http http;

  @BeforeAll
  static void start() throws IOException {
    served = ServedCollection.start(tmp, config -> config.withLimits(MAX_UPLOAD, 2_000_000), index -> index, null);
    photos = served.photos;
    http = served.http;
  }

  @AfterAll
  static void stop() throws IOException {
    if (served != null) {
      served.close();
    }
  }

  @Test
  void searchPageHasAnAccessibleUploadFormAndTheMethodChoices() {
    HttpResponse<String> r = http.get("/");
    assertHtml(r, 200);
    String page = r.body();
    assertTrue(page.contains("enctype=\"multipart/form-data\""), "plain upload form without JavaScript");
    assertTrue(page.contains("<label for=\"image\">"), "the file input has a label");
    assertTrue(page.contains("<option value=\"hsv-hist\" selected=\"selected\">hsv-hist (best)</option>"), page);
    assertTrue(page.contains("<option value=\"pixels\">"), page);
    assertTrue(page.contains("<label for=\"text\">"), "a text box when a text-capable descriptor is indexed");
    assertTrue(page.contains("data-descriptors=\"hsv-hist"), "metrics say which descriptors offer them");
    assertTrue(page.contains("name=\"viewport\""), "a layout for phones");
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
  }

  @Test
  void uploadShowsTheQueryAndTheNearestImagesFirst() {
    String name = "test-forest-1.jpg";
    HttpResponse<String> r = http.post("/search", new Http.Multipart().image(photos.files.get(name)).field("k", "6"));
    assertHtml(r, 200);
    String page = r.body();
    assertTrue(page.contains("src=\"data:image/jpeg;base64,"), "the uploaded photo is shown beside the results");
    assertEquals(6, count(page, "<article class=\"card\">"));
    assertEquals(photos.id(name), firstResultId(page), "the same image first");
    assertTrue(page.contains("hsv-hist / "), page);
    assertTrue(page.contains("<span class=\"tag tag-class\">forest</span>"));
    assertTrue(page.contains("<span class=\"tag tag-split\">test</span>"));
    assertTrue(Pattern.compile("class=\"took\">\\d+ ms<").matcher(page).find(), "the time it took");
  }

  @Test
  void resultsByIdAreAShareableGetThatKeepsTheChosenMethod() {
    String id = photos.id("train-ocean-1.jpg");
    HttpResponse<String> r = http.get("/search?id=" + id + "&descriptor=pixels&metric=l1&k=4");
    assertHtml(r, 200);
    String page = r.body();
    assertTrue(page.contains("src=\"/api/images/" + id + "/thumbnail\""), "the query image is shown");
    assertEquals(4, count(page, "<article class=\"card\">"));
    assertTrue(page.contains("<strong>pixels / l1</strong>"));
    assertTrue(page.contains("<option value=\"pixels\" selected=\"selected\">"), "the form keeps the choice");
    assertTrue(page.contains("&amp;descriptor=pixels&amp;metric=l1&amp;k=4"), "results link to more like them, same method");
    assertFalse(firstResultId(page).equals(id), "the query itself is left out");
  }

  @Test
  void wordsSearchRedirectsToAShareableGet() {
    HttpResponse<String> posted = http.post("/search", new Http.Multipart().field("text", "ocean").field("k", "3"));
    assertEquals(303, posted.statusCode());
    String location = posted.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("/search?text=ocean"), location);
    HttpResponse<String> r = http.get(location);
    assertHtml(r, 200);
    assertTrue(r.body().contains("<p class=\"query-text\">“<span>ocean</span>”</p>"), r.body());
    assertEquals(3, count(r.body(), "<span class=\"tag tag-class\">ocean</span>"));
  }

  @Test
  void searchWithoutAQueryGoesBackToTheForm() {
    HttpResponse<String> r = http.get("/search");
    assertEquals(302, r.statusCode());
    assertEquals("/", r.headers().firstValue("Location").orElse(""));
  }

  @Test
  void crawledTextIsEscapedAndOnlyHttpLinksAreRendered() {
    // Both attributed images are among the results of a search like the hostile one.
    HttpResponse<String> r = http.post("/search", new Http.Multipart().image(photos.files.get("train-amber-0.jpg"))
        .field("k", "24"));
    assertHtml(r, 200);
    String page = r.body();
    assertFalse(page.contains("<script>alert"), "titles are escaped");
    assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Sunset &amp; &quot;friends&quot;"), page);
    assertFalse(page.contains("<b>bold</b>"), "owners are escaped");
    assertTrue(page.contains("O&#39;Brien &lt;b&gt;bold&lt;/b&gt;"));
    assertFalse(page.toLowerCase().contains("javascript:"), "a javascript: URL never becomes a link");
    assertTrue(page.contains("href=\"" + TestCollection.FLICKR_PAGE + "\""), "attribution links to the photo page");
    assertTrue(page.contains(">CC BY 2.0</a>"), "and names the licence");
    assertTrue(page.contains("Green walk"));
  }

  @Test
  void browseShowsCountsByClassAndSplitAndPages() {
    HttpResponse<String> all = http.get("/browse");
    assertHtml(all, 200);
    assertEquals(24, count(all.body(), "<article class=\"card\">"));
    assertTrue(all.body().contains("24 images"));
    assertTrue(all.body().matches("(?s).*>train</a>\\s*<span class=\"count\">18</span>.*"), "split counts");
    assertTrue(all.body().matches("(?s).*>ocean</a>\\s*<span class=\"count\">6</span>.*"), "class counts");

    HttpResponse<String> one = http.get("/browse?split=test&class=amber");
    assertHtml(one, 200);
    assertEquals(2, count(one.body(), "<article class=\"card\">"));

    HttpResponse<String> paged = http.get("/browse?size=10&page=2");
    assertHtml(paged, 200);
    assertEquals(10, count(paged.body(), "<article class=\"card\">"));
    assertTrue(paged.body().contains("Page 2 of 3"));
    assertTrue(paged.body().contains("page=3&amp;size=10\" rel=\"next\""), paged.body());
    assertTrue(paged.body().contains("page=1&amp;size=10\" rel=\"prev\""));
  }

  @ParameterizedTest
  @MethodSource("navigationEntries")
  void navigationMarksTheCurrentPageOnly(String path, String entry) {
    HttpResponse<String> r = http.get(path);
    assertHtml(r, 200);
    String header = r.body().substring(r.body().indexOf("class=\"site-header\""), r.body().indexOf("</header>"));
    Matcher current = Pattern.compile("<a href=\"([^\"]*)\" aria-current=\"page\">").matcher(header);
    assertTrue(current.find(), "no navigation entry is marked current on " + path);
    assertEquals(entry, current.group(1));
    assertFalse(current.find(), "two entries marked current on " + path);
  }

  static Stream<Arguments> navigationEntries() {
    return Stream.of(Arguments.of("/", "/"), Arguments.of("/browse?size=10&page=2", "/browse"),
        Arguments.of("/compare", "/compare"), Arguments.of("/eval", "/eval"));
  }

  @Test
  void compareRunsEveryDescriptorAndMetric() {
    String id = photos.id("train-amber-3.jpg");
    HttpResponse<String> r = http.get("/compare?id=" + id + "&k=3");
    assertHtml(r, 200);
    int methods = photos.registry.create("hsv-hist").metrics().size() + photos.registry.create("pixels").metrics().size()
        + photos.registry.create("colour-words").metrics().size();
    assertEquals(methods, count(r.body(), "<section class=\"compare-row\""));
    assertEquals(methods * 3, count(r.body(), "<article class=\"card\">"));
    assertTrue(r.body().contains("same class"), "rows say how many results share the query's class");

    HttpResponse<String> upload = http.post("/compare", new Http.Multipart().image(photos.files.get("test-ocean-0.jpg")));
    assertHtml(upload, 200);
    assertEquals(methods * PageRoutes.COMPARE_DEFAULT_K, count(upload.body(), "<article class=\"card\">"));

    assertHtml(http.get("/compare"), 200);
  }

  @Test
  void evaluationPageShowsTheSavedReportAndChart() throws IOException {
    HttpResponse<String> before = http.get("/eval");
    assertHtml(before, 200);
    assertTrue(before.body().contains("has not been evaluated yet"), before.body());
    assertEquals(404, http.get("/eval/" + EvalFiles.CHART_PNG).statusCode());

    EvalReport report = new Evaluator(photos.index, 1).evaluate();
    EvalFiles.forIndex(photos.indexDir).write(report);
    HttpResponse<String> after = http.get("/eval");
    assertHtml(after, 200);
    assertTrue(after.body().contains("<th scope=\"col\">mAP</th>"), after.body());
    assertTrue(after.body().contains("<td>hsv-hist / "), "one row per method");
    assertTrue(after.body().contains("src=\"/eval/precision-at-k.png\""));
    HttpResponse<byte[]> chart = http.getBytes("/eval/" + EvalFiles.CHART_PNG);
    assertEquals(200, chart.statusCode());
    assertEquals("image/png", chart.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void assetsAreServedWithTheirTypes() {
    assertTrue(http.get("/static/app.css").headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
    HttpResponse<String> js = http.get("/static/app.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"));
  }

  static Stream<Arguments> badRequests() {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(7, 160, 120), 0.9f);
    byte[] tooLarge = new byte[(int) MAX_UPLOAD + 100_000];
    new Random(3).nextBytes(tooLarge);
    return Stream.of(
        bad("no file", h -> h.post("/search", new Http.Multipart().field("k", "5")), 400, "no image was sent"),
        bad("not an image", h -> h.post("/search", new Http.Multipart().image(TestImages.html())), 415, "not an image"),
        bad("a broken form", h -> h.post("/search", "multipart/form-data; boundary=XYZ", "no boundary".getBytes()), 400,
            "the multipart form could not be parsed"),
        bad("truncated image", h -> h.post("/search", new Http.Multipart().image(TestImages.truncated(jpeg, jpeg.length / 2))), 422, "truncated"),
        bad("upload over the size limit", h -> h.post("/search", new Http.Multipart().image(tooLarge)), 413, "larger than the limit of 1 MB"),
        bad("decompression bomb", h -> h.post("/search", new Http.Multipart().file("image", "b.png", "image/png", TestImages.pngBomb(4000, 4000))), 413, "pixels"),
        bad("unknown descriptor", h -> h.post("/search", new Http.Multipart().image(jpeg).field("descriptor", "<i>sift</i>")), 400, "unknown descriptor &#39;&lt;i&gt;sift&lt;/i&gt;&#39;"),
        bad("unknown metric", h -> h.post("/search", new Http.Multipart().image(jpeg).field("metric", "nope")), 400, "unknown metric"),
        bad("k out of range", h -> h.get("/search?id=" + photos.id("test-amber-1.jpg") + "&k=5000"), 400, "k must be between 1 and"),
        bad("unknown id", h -> h.get("/search?id=nope"), 404, "no image with id"),
        bad("compare without a file", h -> h.post("/compare", new Http.Multipart().field("k", "5")), 400, "no image was sent"),
        bad("compare by unknown id", h -> h.get("/compare?id=nope"), 404, "no image with id"),
        bad("bad browse page", h -> h.get("/browse?page=zero"), 400, "page must be a whole number"),
        bad("unknown page", h -> h.get("/no/such/page"), 404, "there is nothing at /no/such/page"));
  }

  private static Arguments bad(String what, Function<Http, HttpResponse<String>> request, int status, String says) {
    return Arguments.of(what, request, status, says);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestsGetAFriendlyPageWithTheReason(String what, Function<Http, HttpResponse<String>> request, int status,
      String says) {
    HttpResponse<String> r = request.apply(http);
    assertHtml(r, status);
    assertTrue(r.body().contains("role=\"alert\""), what);
    assertTrue(r.body().contains(says), what + " should say '" + says + "': " + r.body());
    assertTrue(r.body().contains("href=\"/\""), "a way back to the search");
    assertEquals(200, http.get("/").statusCode(), "still serving after: " + what);
  }

  private static void assertHtml(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), r.headers().toString());
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  private static String firstResultId(String page) {
    Matcher m = Pattern.compile("<ol class=\"grid\">\\s*<li>\\s*<article class=\"card\">\\s*<a class=\"thumb result-link\"\\s+"
        + "href=\"/search\\?id=([^&\"]+)").matcher(page);
    assertTrue(m.find(), page);
    return m.group(1);
  }
}
