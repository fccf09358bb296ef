package imgsearch.crawl.download;

import java.net.URI;

/**
 * A complete response body.
 *
 * @param requested the URL asked for
 * @param finalUri the URL the body came from, after redirects
 * @param contentType the Content-Type header, or "" (never trusted for images: see {@link imgsearch.image.ImageSniffer})
 * @param body the whole body
 */
public record Fetched(URI requested, URI finalUri, String contentType, byte[] body) {}
