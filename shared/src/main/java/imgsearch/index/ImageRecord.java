package imgsearch.index;

import java.util.Set;

/**
 * Everything an index keeps about one image except its vectors.
 *
 * @param id stable id: derived from the absolute path, so it survives content changes
 * @param path absolute path of the image file
 * @param contentHash SHA-256 of the file's bytes, hex
 * @param sizeBytes file size
 * @param width decoded width after EXIF orientation
 * @param height decoded height after EXIF orientation
 * @param split {@code train} or {@code test} when the indexed folder has that shape, else null
 * @param label the class (folder under train/ or test/), else null
 * @param attribution crawl metadata found beside the image, or null
 * @param descriptors labels ({@code name:version:config}) of the descriptors this image's vectors were made with
 */
public record ImageRecord(String id, String path, String contentHash, long sizeBytes, int width, int height,
    String split, String label, Attribution attribution, Set<String> descriptors) {

  public ImageRecord {
    descriptors = descriptors == null ? Set.of() : Set.copyOf(descriptors);
  }

  /** File name without folders, for display. */
  public String fileName() {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }
}
