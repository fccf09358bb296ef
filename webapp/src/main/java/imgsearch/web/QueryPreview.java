package imgsearch.web;

import imgsearch.search.HitView;

/**
 * The query shown beside its results.
 *
 * @param imageUrl the query picture (a thumbnail URL or an inline data URI), or null for words
 * @param text the words of a text query, or null
 * @param image the indexed image searched with, or null
 */
public record QueryPreview(String imageUrl, String text, HitView image) {

  static QueryPreview ofUpload(String dataUri) {
    return new QueryPreview(dataUri, null, null);
  }

  static QueryPreview ofRecord(HitView image) {
    return new QueryPreview(image.thumbnailUrl(), null, image);
  }

  static QueryPreview ofText(String text) {
    return new QueryPreview(null, text, null);
  }
}
