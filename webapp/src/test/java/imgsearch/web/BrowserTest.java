package imgsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.eval.EvalFiles;
import imgsearch.eval.Evaluator;
import imgsearch.testing.TestImages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in a real headless browser (Debian's chromium driven through its chromedriver): upload a
 * photo, see its original first, click a result, see the page change. Screenshots go to
 * {@code <build dir>/screenshots}. Skipped only when chromium or chromedriver is not installed.
 */
class BrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir
  static Path tmp;
  static TestCollection photos;
  static WebServer server;
  static ChromeDriver browser;
  static String base;
  static Path screenshots;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser test skipped: needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
    photos = TestCollection.create(tmp);
    EvalFiles.forIndex(photos.indexDir).write(new Evaluator(photos.index, 1).evaluate());
    server = WebServer.start(ServerConfig.defaults(photos.indexDir).withPort(0).withCacheDir(tmp.resolve("thumbs")),
        photos.index, photos.registry);
    base = server.url();
    screenshots = Files.createDirectories(Path.of(System.getProperty("imgsearch.screenshots", "target/screenshots")));

    // Explicit driver and browser paths: Selenium Manager never goes looking on the network.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.stop();
    }
    if (photos != null) {
      photos.close();
    }
  }

  @Test
  void uploadAPhotoSeeItsOriginalFirstThenClickAResult() throws IOException {
    // The query: an indexed photo scaled down and re-encoded, as a user's copy of it would be.
    String original = "train-ocean-3.jpg";
    Path query = TestImages.write(tmp, "my-photo.jpg", TestImages.jpeg(
        Thumbnails.fit(TestCollection.decode(photos.files.get(original)), 100), 0.7f));

    browser.manage().window().setSize(new Dimension(1280, 1300));
    browser.get(base + "/");
    assertEquals("Search · imgsearch", browser.getTitle());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.findElement(By.id("image")).sendKeys(query.toAbsolutePath().toString());

    // JavaScript submits on choosing a file and swaps the results in without a page load.
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results ol.grid li .card")));
    List<WebElement> links = browser.findElements(By.cssSelector("#results ol.grid a.result-link"));
    assertEquals(SearchQuery.DEFAULT_K, links.size());
    assertTrue(links.get(0).getAttribute("href").contains("id=" + photos.id(original)),
        "the original of the uploaded photo comes first: " + links.get(0).getAttribute("href"));
    assertTrue(browser.findElement(By.cssSelector(".query-image")).getAttribute("src").startsWith("data:image/jpeg"));
    waitForImages(wait);
    screenshot("1-search-results.png");

    // Clicking a result searches for images like it; the address becomes the shareable GET.
    String clickedHref = links.get(1).getAttribute("href");
    String clickedId = clickedHref.replaceAll(".*[?&]id=([^&]+).*", "$1");
    links.get(1).click();
    wait.until(ExpectedConditions.urlContains("/search?id=" + clickedId));
    wait.until(ExpectedConditions.attributeContains(By.cssSelector(".query-image"), "src",
        "/api/images/" + clickedId + "/thumbnail"));
    List<WebElement> next = browser.findElements(By.cssSelector("#results ol.grid a.result-link"));
    assertFalse(next.isEmpty());
    assertFalse(next.stream().anyMatch(a -> a.getAttribute("href").contains("id=" + clickedId + "&")),
        "the clicked image is now the query, not a result");
    waitForImages(wait);
    screenshot("2-more-like-a-result.png");

    // The shared URL reloads to the same results.
    browser.navigate().refresh();
    wait.until(ExpectedConditions.attributeContains(By.cssSelector(".query-image"), "src", clickedId));
    assertEquals(next.size(), browser.findElements(By.cssSelector("#results ol.grid a.result-link")).size());
  }

  @Test
  void dropOrPasteAPhotoToSearch() {
    browser.manage().window().setSize(new Dimension(1280, 1300));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    // The page's own handlers get real drop and paste events carrying a file, as a user's would.
    String send = """
        const [url, kind, done] = arguments;
        fetch(url).then(r => r.blob()).then(blob => {
          const files = new DataTransfer();
          files.items.add(new File([blob], kind + '.jpg', { type: 'image/jpeg' }));
          if (kind === 'drop') {
            document.querySelector('[data-dropzone]').dispatchEvent(
                new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
          } else {
            document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }));
          }
          done(true);
        });
        """;
    for (String[] c : new String[][] {{"drop", "test-forest-0.jpg"}, {"paste", "train-amber-2.jpg"}}) {
      browser.get(base + "/");
      String id = photos.id(c[1]);
      ((JavascriptExecutor) browser).executeAsyncScript(send, "/api/images/" + id, c[0]);
      wait.until(ExpectedConditions.attributeContains(By.cssSelector("#results ol.grid a.result-link"), "href",
          "id=" + id + "&"));
      assertEquals(c[0] + ".jpg", browser.findElement(By.id("image")).getAttribute("value").replaceAll(".*[\\\\/]", ""),
          c[0] + ": the file input holds the " + c[0] + "ped photo");
    }
  }

  @Test
  void otherPagesRenderOnADesktopAndAPhone() throws IOException {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.manage().window().setSize(new Dimension(1280, 1300));
    browser.get(base + "/browse?split=train");
    waitForImages(wait);
    assertEquals(18, browser.findElements(By.cssSelector("ol.grid .card")).size());
    screenshot("3-browse.png");

    browser.get(base + "/compare?id=" + photos.id("test-amber-0.jpg"));
    waitForImages(wait);
    assertTrue(browser.findElements(By.cssSelector(".compare-row")).size() >= 4);
    screenshot("4-compare.png");

    browser.get(base + "/eval");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.numbers")));
    waitForImages(wait);
    screenshot("5-eval.png");

    browser.get(base + "/search?text=forest");
    waitForImages(wait);
    screenshot("6-text-search.png");

    browser.manage().window().setSize(new Dimension(400, 860));
    browser.get(base + "/search?id=" + photos.id("train-amber-0.jpg"));
    waitForImages(wait);
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
    assertEquals(Boolean.FALSE, overflow, "no sideways scrolling on a phone");
    screenshot("7-phone-search.png");
    ((JavascriptExecutor) browser).executeScript("document.getElementById('results').scrollIntoView()");
    waitForImages(wait);
    screenshot("7-phone-results.png");

    browser.get(base + "/search?id=nope");
    screenshot("8-error.png");
    assertTrue(browser.findElement(By.cssSelector("[role=alert]")).getText().contains("no image with id"));
  }

  @Test
  void duplicatesPageShowsGroupsAndTheSliderReloadsThem() throws IOException {
    Path dupPhotos = imgsearch.testing.DuplicateCollection.write(tmp.resolve("dup-photos"));
    try (var dupIndex = DuplicatesTest.indexDuplicates(dupPhotos, tmp.resolve("dup-index"));
         WebServer dupServer = WebServer.start(ServerConfig.defaults(tmp.resolve("dup-index")).withPort(0)
             .withCacheDir(tmp.resolve("dup-thumbs")), dupIndex, imgsearch.descriptor.ClassicDescriptors.registry())) {
      String dupBase = dupServer.url();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      browser.manage().window().setSize(new Dimension(1280, 1300));
      browser.get(dupBase + "/duplicates");
      assertEquals("Duplicates · imgsearch", browser.getTitle());
      List<WebElement> groups = browser.findElements(By.cssSelector(".dup-group"));
      assertEquals(3, groups.size());
      for (WebElement g : groups) {
        WebElement first = g.findElement(By.cssSelector(".dup-image"));
        assertTrue(first.getAttribute("class").contains("keep"), "the keeper comes first");
        assertEquals("Keep", first.findElement(By.cssSelector(".keep-badge")).getText());
      }
      waitForImages(wait);
      screenshot("9-duplicates.png");

      // The slider, moved by the keyboard to its strictest end, reloads the groups at that threshold.
      WebElement slider = browser.findElement(By.id("threshold"));
      slider.sendKeys(org.openqa.selenium.Keys.END);
      wait.until(ExpectedConditions.urlContains("threshold=1"));
      wait.until(ExpectedConditions.textToBe(By.id("threshold-value"), "1.000"));
      int strictGroups = Http.json(new Http(dupServer.port()).get("/api/duplicates?threshold=1")).get("groupCount").asInt();
      assertEquals(strictGroups, browser.findElements(By.cssSelector(".dup-group")).size());

      // Each image leads to more like it.
      browser.get(dupBase + "/duplicates");
      WebElement more = browser.findElement(By.cssSelector(".dup-group .dup-image.keep a[href^='/search?id=']"));
      String id = more.getAttribute("href").replaceAll(".*id=", "");
      more.click();
      wait.until(ExpectedConditions.urlContains("/search?id=" + id));

      browser.manage().window().setSize(new Dimension(400, 860));
      browser.get(dupBase + "/duplicates");
      waitForImages(wait);
      Object overflow = ((JavascriptExecutor) browser).executeScript(
          "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
      assertEquals(Boolean.FALSE, overflow, "no sideways scrolling on a phone");
      screenshot("9-duplicates-phone.png");
    }
  }

  /** Waits until every visible image in view has loaded (lazy ones below stay unloaded), so screenshots show them. */
  private static void waitForImages(WebDriverWait wait) {
    String unloaded = "return Array.from(document.images).filter(i => i.offsetParent && i.getBoundingClientRect().top < innerHeight)"
        + ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.substring(0, 80))";
    try {
      wait.until(d -> ((List<?>) ((JavascriptExecutor) d).executeScript(unloaded)).isEmpty());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("images did not load on " + browser.getCurrentUrl() + ": "
          + ((JavascriptExecutor) browser).executeScript(unloaded), e);
    }
  }

  private static void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
