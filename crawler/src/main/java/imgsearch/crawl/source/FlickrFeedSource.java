package imgsearch.crawl.source;

import imgsearch.crawl.CrawlException;
import imgsearch.crawl.download.DownloadException;
import imgsearch.crawl.download.Downloader;
import imgsearch.crawl.download.Fetched;
import imgsearch.index.Attribution;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * Candidates from Flickr's keyless public photo feed ({@code photos_public.gne}, Atom), parsed with Jsoup. The
 * feed gives only the ~20 most recent public photos per query, with no paging and no licence filter, so a
 * multi-word term is asked for both as all of its words as tags and as the words run together.
 */
public final class FlickrFeedSource implements PhotoSource {

  private static final long MAX_FEED_BYTES = 5L << 20;
  private static final Pattern PHOTO_ID = Pattern.compile("/photo(?:s/[^/]+)?/(\\d+)");

  private final URI endpoint;
  private final Downloader downloader;

  /** A feed read through {@code downloader}, which also retries it after transient failures. */
  public FlickrFeedSource(URI endpoint, Downloader downloader) {
    this.endpoint = endpoint;
    this.downloader = downloader;
  }

  @Override
  public String name() {
    return "flickr-feed";
  }

  @Override
  public List<String> notes() {
    return List.of("flickr-feed: Flickr's keyless public feed gives only the ~20 most recent public photos per "
        + "query (no paging, no older photos), so expect few images per term; set FLICKR_API_KEY for more.",
        "flickr-feed: the feed does not filter by licence; the licence is recorded when the feed names one and "
            + "is empty otherwise (usually all rights reserved): check before publishing the images.");
  }

  /** The queries tried for a term: its words as tags (all required), and the words run together. */
  static List<String> tagQueries(String term) {
    List<String> words = new ArrayList<>();
    for (String w : term.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    Set<String> queries = new LinkedHashSet<>();
    if (!words.isEmpty()) {
      queries.add(String.join(",", words));
      queries.add(String.join("", words));
    }
    return new ArrayList<>(queries);
  }

  URI feedUri(String tags) {
    String query = "tags=" + URLEncoder.encode(tags, StandardCharsets.UTF_8) + "&tagmode=all&format=atom";
    String base = endpoint.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + query);
  }

  @Override
  public Iterator<Candidate> candidates(String term) {
    Deque<String> queries = new ArrayDeque<>(tagQueries(term));
    Deque<Candidate> buffer = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (buffer.isEmpty() && !queries.isEmpty()) {
          for (Candidate c : fetch(queries.pop())) {
            if (seen.add(c.id())) {
              buffer.add(c);
            }
          }
        }
        return !buffer.isEmpty();
      }

      @Override
      public Candidate next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return buffer.poll();
      }
    };
  }

  private List<Candidate> fetch(String tags) {
    URI uri = feedUri(tags);
    Fetched feed;
    try {
      feed = downloader.get(uri, MAX_FEED_BYTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CrawlException("interrupted while reading the Flickr feed", e);
    } catch (DownloadException e) {
      throw new CrawlException("could not read the Flickr feed at " + endpoint + ": " + e.getMessage());
    }
    try {
      return parse(feed.body(), feed.finalUri().toString());
    } catch (IOException e) {
      throw new CrawlException("the Flickr feed at " + endpoint + " is not readable Atom: " + e.getMessage());
    }
  }

  /** The entries of an Atom feed as candidates; entries without an image link are skipped. */
  List<Candidate> parse(byte[] atom, String baseUri) throws IOException {
    Document doc = Jsoup.parse(new ByteArrayInputStream(atom), null, baseUri, Parser.xmlParser());
    List<Candidate> out = new ArrayList<>();
    for (Element entry : doc.select("entry")) {
      String image = attr(entry, "link[rel=enclosure]", "href");
      String page = attr(entry, "link[rel=alternate]", "href");
      if (image == null) {
        continue;
      }
      String id = photoId(text(entry, "id"), page);
      if (id == null) {
        id = "feed-" + Integer.toHexString(image.hashCode());
      }
      List<String> tags = new ArrayList<>();
      for (Element cat : entry.select("category")) {
        if (!cat.attr("term").isBlank()) {
          tags.add(cat.attr("term"));
        }
      }
      String licenseUrl = attr(entry, "link[rel=license]", "href");
      String ownerUrl = text(entry, "author > uri");
      out.add(new Candidate(id, new Attribution(name(), page, image, text(entry, "title"), text(entry, "author > name"),
          ownerUrl, null, licenseUrl == null ? null : licenceName(licenseUrl), licenseUrl, tags,
          text(entry, "flickr|date_taken"))));
    }
    return out;
  }

  static String photoId(String atomId, String page) {
    for (String s : new String[] {atomId, page}) {
      if (s != null) {
        Matcher m = PHOTO_ID.matcher(s);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  /** "https://creativecommons.org/licenses/by-nc/2.0/deed.en" gives "CC BY-NC 2.0". */
  static String licenceName(String url) {
    Matcher m = Pattern.compile("creativecommons\\.org/(?:licenses|publicdomain)/([a-z-]+)/([0-9.]+)").matcher(url);
    if (m.find()) {
      String kind = m.group(1).toUpperCase(Locale.ROOT);
      return (kind.equals("ZERO") ? "CC0" : kind.equals("MARK") ? "Public Domain Mark" : "CC " + kind) + " " + m.group(2);
    }
    return null;
  }

  private static String attr(Element e, String css, String attr) {
    Element x = e.selectFirst(css);
    return x == null || x.attr(attr).isBlank() ? null : x.attr(attr).strip();
  }

  private static String text(Element e, String css) {
    Element x = e.selectFirst(css);
    return x == null || x.text().isBlank() ? null : x.text().strip();
  }
}
