package imgsearch.image;

import imgsearch.image.ImageDecodeException.Reason;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG, GIF (first frame), BMP and WebP files safely into sRGB {@code TYPE_INT_RGB}
 * images with EXIF orientation applied and transparency composited on white.
 *
 * <p>The format is recognised from the bytes, never from a file name or content type. Size limits
 * are checked before any pixel is decoded: the encoded size first, then width x height read from the
 * header, so a decompression bomb is refused without allocating its pixels. Every problem with the
 * input (not an image, truncated, damaged, too large, unreadable) is reported as an
 * {@link ImageDecodeException} whose message can be shown to the user as it is; codec runtime
 * exceptions are caught and reported the same way.
 *
 * <p>Instances are immutable and thread-safe: each call uses its own ImageIO reader.
 */
public final class ImageDecoder {

  static {
    // When ImageIO was first used from a class loader that cannot see the TwelveMonkeys jars (an
    // application server, a plugin loader), their readers are missing until the classpath is rescanned.
    if (!ImageIO.getImageReadersByFormatName("webp").hasNext()) {
      ImageIO.scanForPlugins();
    }
  }

  private static final String TRUNCATED_MESSAGE =
      "the file is truncated: it ends before the image data does (an interrupted download or upload?)";

  private final ImageLimits limits;

  /** A decoder enforcing the given limits. */
  public ImageDecoder(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** A decoder enforcing {@link ImageLimits#DEFAULT}. */
  public ImageDecoder() {
    this(ImageLimits.DEFAULT);
  }

  /** The limits this decoder enforces. */
  public ImageLimits limits() {
    return limits;
  }

  /**
   * Decodes an image file. Its size is checked before it is read.
   *
   * @throws ImageDecodeException IO if the file cannot be read, or any reason of {@link #decode(byte[])}
   */
  public DecodedImage decode(Path file) throws ImageDecodeException {
    Objects.requireNonNull(file, "file");
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw readFailure(file, e);
    }
    checkByteLimit(size);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // Bounded read: the file may have grown since it was measured.
      bytes = in.readNBytes((int) Math.min(limits.maxBytes() + 1, Integer.MAX_VALUE - 8));
    } catch (IOException e) {
      throw readFailure(file, e);
    }
    return decode(bytes);
  }

  /**
   * Decodes an encoded image held in memory (an upload, a download).
   *
   * @throws ImageDecodeException NOT_AN_IMAGE, TOO_MANY_BYTES, TOO_MANY_PIXELS, TRUNCATED or CORRUPT
   */
  public DecodedImage decode(byte[] bytes) throws ImageDecodeException {
    Objects.requireNonNull(bytes, "bytes");
    checkByteLimit(bytes.length);
    try (ImageInputStream in = new InMemoryImageInput(bytes)) {
      return decode(in);
    } catch (IOException e) {
      // Only close() can get here, and closing an in-memory stream does not fail.
      throw new ImageDecodeException(Reason.IO, "the image could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the format and the stored size from the header of an image held in memory, without
   * decoding pixels or checking limits.
   *
   * @throws ImageDecodeException NOT_AN_IMAGE, TRUNCATED or CORRUPT if the header cannot be read
   */
  public ImageInfo probe(byte[] bytes) throws ImageDecodeException {
    Objects.requireNonNull(bytes, "bytes");
    try (ImageInputStream in = new InMemoryImageInput(bytes)) {
      return probe(in);
    } catch (IOException e) {
      throw new ImageDecodeException(Reason.IO, "the image could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the format and the stored size from the header of an image file, reading only as much of
   * the file as the header takes, without decoding pixels or checking limits.
   *
   * @throws ImageDecodeException IO if the file cannot be read; NOT_AN_IMAGE, TRUNCATED or CORRUPT
   */
  public ImageInfo probe(Path file) throws ImageDecodeException {
    Objects.requireNonNull(file, "file");
    if (Files.isDirectory(file)) {
      throw new ImageDecodeException(Reason.IO, "could not read " + file + ": it is a directory, not a file");
    }
    try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
      return probe(in);
    } catch (IOException e) {
      throw readFailure(file, e);
    }
  }

  private ImageInfo probe(ImageInputStream in) throws ImageDecodeException {
    ImageFormat format = sniff(in);
    // Checked before the codec runs: some codecs discard what they have read, so seeking back later fails.
    boolean endsEarly = endsEarly(format, in);
    ImageReader reader = newReader(format);
    try {
      in.seek(0);
      reader.setInput(in, true, true);
      return new ImageInfo(format.id, reader.getWidth(0), reader.getHeight(0));
    } catch (IOException | RuntimeException e) {
      throw decodeFailure(e, format, endsEarly);
    } finally {
      reader.dispose();
    }
  }

  private DecodedImage decode(ImageInputStream in) throws ImageDecodeException {
    ImageFormat format = sniff(in);
    // Everything that needs seeking comes before the codec runs: some codecs discard what they
    // have read (ImageIO's PNG reader flushes the stream), so seeking back afterwards fails.
    boolean endsEarly = endsEarly(format, in);
    int orientation = ExifOrientation.read(format, in);
    ICC_Profile profile = format == ImageFormat.PNG ? PngIccProfile.read(in) : null;
    ImageReader reader = format == ImageFormat.JPEG && isPlainJpeg(in) ? jdkJpegReader() : newReader(format);
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try {
      in.seek(0);
      reader.setInput(in, true, true);
      checkPixelLimit(reader.getWidth(0), reader.getHeight(0));
      BufferedImage decoded = reader.read(0, reader.getDefaultReadParam());
      // libjpeg does not fail when the data stops early: it fills the rest with grey and warns.
      String dataEndedEarly = warnings.stream().filter(ImageDecoder::saysDataEndedEarly).findFirst().orElse(null);
      if (dataEndedEarly != null) {
        throw endsEarly
            ? new ImageDecodeException(Reason.TRUNCATED, TRUNCATED_MESSAGE)
            : new ImageDecodeException(Reason.CORRUPT, "the " + format.displayName
                + " data is damaged: part of the image is missing (" + dataEndedEarly + ")");
      }
      BufferedImage rgb = SrgbConversion.toIntRgb(decoded, profile);
      return new DecodedImage(ExifOrientation.apply(rgb, orientation), format.id);
    } catch (IOException | RuntimeException e) {
      throw decodeFailure(e, format, endsEarly);
    } finally {
      reader.dispose();
    }
  }

  private static ImageFormat sniff(ImageInputStream in) throws ImageDecodeException {
    try {
      byte[] head = new byte[ImageFormat.HEAD_LENGTH];
      int length = 0;
      int read;
      while (length < head.length && (read = in.read(head, length, head.length - length)) > 0) {
        length += read;
      }
      in.seek(0);
      return ImageFormat.sniff(Arrays.copyOf(head, length));
    } catch (IOException e) {
      throw new ImageDecodeException(Reason.IO, "the image could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Whether a JPEG is grey or YCbCr/RGB without an ICC profile: the JDK's own reader decodes those
   * correctly and about 1.5 times faster than TwelveMonkeys', which is only needed for CMYK, YCCK and
   * embedded profiles. Reads the segment headers up to the first scan, then seeks back.
   */
  private static boolean isPlainJpeg(ImageInputStream in) {
    try {
      in.seek(2);
      while (true) {
        int prefix = in.read();
        int marker = in.read();
        while (marker == 0xFF) {
          marker = in.read();
        }
        if (prefix != 0xFF || marker < 0 || marker == 0xDA || marker == 0xD9) {
          return prefix == 0xFF && marker == 0xDA;
        }
        int length = in.readUnsignedShort();
        long next = in.getStreamPosition() + length - 2;
        if (marker == 0xE2) {
          byte[] id = new byte[12];
          in.readFully(id);
          if (new String(id, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE\0")) {
            return false;
          }
        } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
          in.skipBytes(5); // precision, height, width
          int components = in.read();
          if (components != 1 && components != 3) {
            return false;
          }
        }
        in.seek(next);
      }
    } catch (IOException | RuntimeException e) {
      return false; // let TwelveMonkeys' reader make sense of it, or explain why it cannot
    } finally {
      try {
        in.seek(0);
      } catch (IOException ignored) {
        // an in-memory stream always seeks
      }
    }
  }

  private static ImageReader jdkJpegReader() {
    for (Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg"); readers.hasNext(); ) {
      ImageReader reader = readers.next();
      if (reader.getClass().getName().startsWith("com.sun.imageio.")) {
        return reader;
      }
      reader.dispose();
    }
    return newReader(ImageFormat.JPEG);
  }

  /** A reader for the format; for JPEG the TwelveMonkeys one, which handles CMYK, YCCK and ICC profiles. */
  private static ImageReader newReader(ImageFormat format) {
    ImageReader fallback = null;
    for (Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id); readers.hasNext(); ) {
      ImageReader reader = readers.next();
      if (format != ImageFormat.JPEG || reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
        if (fallback != null) {
          fallback.dispose();
        }
        return reader;
      }
      if (fallback == null) {
        fallback = reader;
      } else {
        reader.dispose();
      }
    }
    if (fallback != null) {
      return fallback;
    }
    throw new IllegalStateException("no ImageIO reader for " + format.displayName
        + ": the TwelveMonkeys imageio-jpeg and imageio-webp jars must be on the classpath");
  }

  private void checkByteLimit(long size) throws ImageDecodeException {
    if (size > limits.maxBytes()) {
      throw new ImageDecodeException(Reason.TOO_MANY_BYTES, String.format(Locale.ROOT,
          "the file is too large: %s, the limit is %s", megabytes(size), megabytes(limits.maxBytes())));
    }
  }

  private void checkPixelLimit(int width, int height) throws ImageDecodeException {
    if (width <= 0 || height <= 0) {
      throw new ImageDecodeException(Reason.CORRUPT,
          "the image header is damaged: it gives a size of " + width + " x " + height + " pixels");
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new ImageDecodeException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
          "the image is too large: %d x %d pixels (%.1f megapixels), the limit is %.1f megapixels",
          width, height, pixels / 1e6, limits.maxPixels() / 1e6));
    }
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private static boolean saysDataEndedEarly(String warning) {
    String lower = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
    return lower.contains("truncated") || lower.contains("premature end");
  }

  private static boolean endsEarly(ImageFormat format, ImageInputStream in) {
    try {
      return format.endsEarly(in);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Turns a codec failure into TRUNCATED or CORRUPT, with a message for the user. */
  private static ImageDecodeException decodeFailure(Exception e, ImageFormat format, boolean endsEarly) {
    // Codecs fail on a cut file with all sorts of messages (EOF, "No SOF segment", bad Huffman
    // code), and an EOFException can also come from a damaged segment inside a whole file: whether
    // the file reaches its end marker is what tells truncated from damaged.
    if (endsEarly) {
      return new ImageDecodeException(Reason.TRUNCATED, TRUNCATED_MESSAGE, e);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ImageDecodeException(Reason.CORRUPT,
        "the " + format.displayName + " data is damaged and cannot be decoded (" + detail + ")", e);
  }

  private static ImageDecodeException readFailure(Path file, IOException e) {
    String why;
    if (e instanceof NoSuchFileException || e instanceof FileNotFoundException && !Files.exists(file)) {
      why = "no such file";
    } else if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (Files.isDirectory(file)) {
      why = "it is a directory, not a file";
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new ImageDecodeException(Reason.IO, "could not read " + file + ": " + why, e);
  }
}
