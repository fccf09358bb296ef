package imgsearch.crawl;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where candidate photos come from. */
public enum SourceKind {
  /** The Flickr API ({@code flickr.photos.search}); needs an API key. */
  FLICKR("flickr"),
  /** Flickr's keyless public photo feed: only recent photos, about 20 per call. */
  FLICKR_FEED("flickr-feed"),
  /** Web pages from seed URLs, following same-site links. */
  WEB("web");

  private final String id;

  SourceKind(String id) {
    this.id = id;
  }

  /** The name used on the command line and in the manifest's {@code source} field. */
  public String id() {
    return id;
  }

  /** The kind named {@code id} ({@code flickr}, {@code flickr-feed}, {@code web}). */
  public static SourceKind fromId(String id) {
    for (SourceKind k : values()) {
      if (k.id.equalsIgnoreCase(id.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown source '" + id + "': use one of "
        + Arrays.stream(values()).map(SourceKind::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
