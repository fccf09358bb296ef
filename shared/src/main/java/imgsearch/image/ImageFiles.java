package imgsearch.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** File-level helpers: which files look like images, and what their content says they are. */
public final class ImageFiles {

  /** Extensions of the formats {@link ImageDecoder} reads, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "jpe", "png", "gif", "bmp", "webp");

  private ImageFiles() {}

  /** Whether the file name ends in an image extension (case-insensitive); the content is checked when decoding. */
  public static boolean hasImageExtension(Path file) {
    Path fileName = file.getFileName();
    if (fileName == null) { // a root such as "/"
      return false;
    }
    String name = fileName.toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * The media type of an image file from its first bytes (file names can lie), e.g. {@code image/jpeg};
   * {@code application/octet-stream} when it is not a supported image.
   */
  public static String contentType(Path file) throws IOException {
    return ImageSniffer.mediaType(file);
  }
}
