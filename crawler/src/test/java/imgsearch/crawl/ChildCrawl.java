package imgsearch.crawl;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** A crawl in its own JVM, for the test that kills it with SIGKILL. Args: API endpoint, output folder, term. */
public final class ChildCrawl {

  private ChildCrawl() {}

  public static void main(String[] args) throws Exception {
    CrawlOptions options = CrawlOptions.builder(List.of(args[2]), Path.of(args[1]))
        .flickrApiKey(System.getenv("FLICKR_API_KEY"))
        .flickrEndpoint(URI.create(args[0]))
        .perTerm(50)
        .apiCallsPerHour(3_600_000)
        .download(CrawlFixtures.fastDownloads().withTimeouts(java.time.Duration.ofSeconds(5),
            java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60)))
        .cleaning(CrawlFixtures.smallImagesAllowed())
        .build();
    new Crawler(options).run(CrawlListener.NONE);
  }
}
