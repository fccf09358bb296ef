package imgsearch.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the EXIF orientation tag (1..8) and turns stored pixels the way a camera meant them to be
 * shown. ImageIO ignores the tag, so a portrait photo from a phone would otherwise lie on its side.
 */
final class ExifOrientation {

  /** Stored pixels are already upright. */
  static final int NORMAL = 1;

  private ExifOrientation() {}

  /**
   * The orientation stored in the file: JPEG APP1 Exif segment, PNG eXIf chunk or WebP EXIF chunk.
   * Missing, unreadable or out-of-range values count as {@link #NORMAL}: a broken tag must not cost
   * us the picture.
   */
  static int read(ImageFormat format, ImageInputStream in) {
    try {
      in.seek(0);
      in.setByteOrder(ByteOrder.BIG_ENDIAN); // the codec may have left it little-endian
      Optional<byte[]> exif = switch (format) {
        case JPEG -> jpegExif(in);
        case PNG -> ContainerChunks.png(in, "eXIf");
        case WEBP -> ContainerChunks.riff(in, "EXIF");
        case GIF, BMP -> Optional.empty();
      };
      return exif.map(ExifOrientation::orientationTag).orElse(NORMAL);
    } catch (IOException | RuntimeException e) {
      return NORMAL;
    }
  }

  private static Optional<byte[]> jpegExif(ImageInputStream in) throws IOException {
    List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
    return segments.isEmpty() ? Optional.empty() : Optional.of(segments.get(0).data().readAllBytes());
  }

  /** The orientation in a block that holds a TIFF structure, possibly after an "Exif\0\0" prefix and padding. */
  static int orientationTag(byte[] exif) {
    int start = tiffHeaderStart(exif);
    if (start < 0) {
      return NORMAL;
    }
    try (ImageInputStream tiff = new InMemoryImageInput(exif, start, exif.length - start)) {
      Directory directory = new TIFFReader().read(tiff);
      if (directory instanceof CompoundDirectory compound) {
        // IFD0 describes the main image; IFD1 is the thumbnail.
        directory = compound.getDirectory(0);
      }
      Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
      if (entry != null && entry.getValue() instanceof Number value && value.intValue() >= 1 && value.intValue() <= 8) {
        return value.intValue();
      }
      return NORMAL;
    } catch (IOException | RuntimeException e) {
      return NORMAL;
    }
  }

  private static int tiffHeaderStart(byte[] exif) {
    for (int i = 0; i + 4 <= Math.min(exif.length, 16); i++) {
      boolean intel = exif[i] == 'I' && exif[i + 1] == 'I' && exif[i + 2] == 42 && exif[i + 3] == 0;
      boolean motorola = exif[i] == 'M' && exif[i + 1] == 'M' && exif[i + 2] == 0 && exif[i + 3] == 42;
      if (intel || motorola) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the image as it should be displayed for the given orientation. The input must be
   * {@code TYPE_INT_RGB}; so is the result (a new image unless the orientation is {@link #NORMAL}).
   */
  static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation == NORMAL || orientation < 1 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] src = (int[]) image.getRaster().getDataElements(0, 0, w, h, null);
    boolean swapsAxes = orientation >= 5;
    int outW = swapsAxes ? h : w;
    int outH = swapsAxes ? w : h;
    int[] out = new int[src.length];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        // (sx, sy): the stored pixel that is shown at (x, y).
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }           // mirrored horizontally
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }   // rotated 180
          case 4 -> { sx = x; sy = h - 1 - y; }           // mirrored vertically
          case 5 -> { sx = y; sy = x; }                   // transposed
          case 6 -> { sx = y; sy = h - 1 - x; }           // needs 90 clockwise
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // transversed
          default -> { sx = w - 1 - y; sy = x; }          // 8: needs 90 anticlockwise
        }
        out[y * outW + x] = src[sy * w + sx];
      }
    }
    BufferedImage result = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    result.getRaster().setDataElements(0, 0, outW, outH, out);
    return result;
  }
}
