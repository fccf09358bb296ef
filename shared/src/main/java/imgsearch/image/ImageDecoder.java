package imgsearch.image;

import imgsearch.file.ByteSizes;
import imgsearch.image.ImageDecodeException.Reason;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import java.util.Optional;
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
 * <p>An image can be decoded at reduced size ({@link #decode(byte[], int)}): at 1/2, 1/4 or 1/8 of its
 * width and height, as long as its shorter side keeps the length asked for. JPEGs (nearly every photo)
 * are then decoded by libjpeg-turbo's TurboJPEG library where it is installed (Debian package
 * {@code libturbojpeg0}), which scales in the DCT domain: a reduced image costs a fraction of a full
 * decode and never exists at full size in memory. Without the library, and for the other formats, the
 * image is decoded at full size with ImageIO and then reduced by averaging each 2 x 2, 4 x 4 or 8 x 8
 * block, which gives the same size and nearly the same pixels (within a few levels).
 *
 * <p>Instances are immutable and thread-safe: each call uses its own ImageIO reader or TurboJPEG handle.
 */
public final class ImageDecoder {

  /** For {@link #decode(byte[], int)}: no reduction, the full-size image. */
  public static final int FULL_SIZE = Integer.MAX_VALUE;

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
  /** libjpeg-turbo, or null: ImageIO only. */
  private final TurboJpeg turbo;

  /** A decoder enforcing the given limits; JPEGs go through libjpeg-turbo where it is installed. */
  public ImageDecoder(ImageLimits limits) {
    this(limits, TurboJpegHolder.LIBRARY.orElse(null));
  }

  private ImageDecoder(ImageLimits limits, TurboJpeg turbo) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.turbo = turbo;
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
   * The same decoder without libjpeg-turbo: every image through ImageIO (the path of machines without the
   * library, for tests and comparisons).
   */
  public ImageDecoder withoutTurboJpeg() {
    return new ImageDecoder(limits, null);
  }

  /** Whether JPEGs are decoded by libjpeg-turbo (installed, and not turned off). */
  public boolean usesTurboJpeg() {
    return turbo != null;
  }

  /** Which JPEG decoder this is, for messages: libjpeg-turbo and its library file, or ImageIO. */
  public String jpegDecoder() {
    return turbo != null ? "libjpeg-turbo (" + turbo.library() + ")" : "Java ImageIO";
  }

  /**
   * Reads an image file into memory, checking its size against the byte limit first.
   *
   * @throws ImageDecodeException IO if the file cannot be read, TOO_MANY_BYTES if it is too large
   */
  public byte[] read(Path file) throws ImageDecodeException {
    Objects.requireNonNull(file, "file");
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw readFailure(file, e);
    }
    checkByteLimit(size);
    try (InputStream in = Files.newInputStream(file)) {
      // Bounded read: the file may have grown since it was measured.
      return in.readNBytes((int) Math.min(limits.maxBytes() + 1, Integer.MAX_VALUE - 8));
    } catch (IOException e) {
      throw readFailure(file, e);
    }
  }

  /**
   * Decodes an image file. Its size is checked before it is read.
   *
   * @throws ImageDecodeException IO if the file cannot be read, or any reason of {@link #decode(byte[])}
   */
  public DecodedImage decode(Path file) throws ImageDecodeException {
    return decode(read(file), FULL_SIZE);
  }

  /**
   * Decodes an image file at reduced size; see {@link #decode(byte[], int)}.
   *
   * @throws ImageDecodeException IO if the file cannot be read, or any reason of {@link #decode(byte[])}
   */
  public DecodedImage decode(Path file, int minSide) throws ImageDecodeException {
    return decode(read(file), minSide);
  }

  /**
   * Decodes an encoded image held in memory (an upload, a download).
   *
   * @throws ImageDecodeException NOT_AN_IMAGE, TOO_MANY_BYTES, TOO_MANY_PIXELS, TRUNCATED or CORRUPT
   */
  public DecodedImage decode(byte[] bytes) throws ImageDecodeException {
    return decode(bytes, FULL_SIZE);
  }

  /**
   * Decodes an encoded image held in memory at the smallest of 1/1, 1/2, 1/4 and 1/8 of its size whose
   * shorter side is still at least {@code minSide} pixels (sides rounded up). Limits are checked against
   * the full size; {@link DecodedImage#width()} and {@link DecodedImage#height()} give the full size.
   *
   * @param minSide the shorter side the image must keep, or {@link #FULL_SIZE}
   * @throws ImageDecodeException NOT_AN_IMAGE, TOO_MANY_BYTES, TOO_MANY_PIXELS, TRUNCATED or CORRUPT
   */
  public DecodedImage decode(byte[] bytes, int minSide) throws ImageDecodeException {
    Objects.requireNonNull(bytes, "bytes");
    checkByteLimit(bytes.length);
    if (turbo != null && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8
        && (bytes[2] & 0xFF) == 0xFF) {
      DecodedImage decoded = decodeWithTurboJpeg(bytes, minSide);
      if (decoded != null) {
        return decoded;
      }
    }
    try (ImageInputStream in = new InMemoryImageInput(bytes)) {
      return decode(bytes, in, minSide);
    } catch (IOException e) {
      // Only close() can get here, and closing an in-memory stream does not fail.
      throw new ImageDecodeException(Reason.IO, "the image could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * The divisor (1, 2, 4 or 8) that reduces a {@code width x height} image the most while its shorter side,
   * rounded up, stays at least {@code minSide}.
   */
  public static int reduction(int width, int height, int minSide) {
    int shorter = Math.min(width, height);
    for (int divisor = 8; divisor > 1; divisor /= 2) {
      if (TurboJpeg.scaled(shorter, divisor) >= minSide) {
        return divisor;
      }
    }
    return 1;
  }

  /**
   * A JPEG through libjpeg-turbo, reduced in the DCT domain. Null when TurboJPEG cannot do it (CMYK and
   * YCCK, a header or data it cannot parse): ImageIO then decodes the file, or explains what is wrong in
   * the same words as for every other file.
   */
  private DecodedImage decodeWithTurboJpeg(byte[] bytes, int minSide) throws ImageDecodeException {
    JpegSegments segments = JpegSegments.read(bytes);
    if (segments.width() <= 0 || segments.height() <= 0) {
      return null; // no frame header before the first scan: ImageIO says what is wrong
    }
    try (TurboJpeg.Session d = turbo.open(); Arena oneShot = Arena.ofConfined()) {
      MemorySegment jpeg = d.input(bytes, oneShot);
      TurboJpeg.Header header = turbo.header(d, jpeg, bytes.length);
      if (header == null || header.width() != segments.width() || header.height() != segments.height()
          || header.colourSpace() == TurboJpeg.CS_CMYK || header.colourSpace() == TurboJpeg.CS_YCCK) {
        return null;
      }
      checkPixelLimit(header.width(), header.height());
      ICC_Profile profile = segments.iccProfile() == null ? null : SrgbConversion.parseProfile(segments.iccProfile());
      // An embedded profile other than sRGB (Adobe RGB, Display P3 ...) is applied to the reduced pixels.
      boolean convert = profile != null && SrgbConversion.needsConversion(profile) && header.colourSpace() != TurboJpeg.CS_GRAY;
      TurboJpeg.Pixels pixels = turbo.decode(d, jpeg, bytes.length, header,
          reduction(header.width(), header.height(), minSide), convert);
      if (pixels == null) {
        return null;
      }
      if (pixels.warning() != null && saysDataEndedEarly(pixels.warning())) {
        throw dataEndedEarly(ImageFormat.JPEG, endsEarly(ImageFormat.JPEG, bytes), pixels.warning());
      }
      BufferedImage image = convert
          ? SrgbConversion.fromRgbBytes(pixels.rgb(), pixels.width(), pixels.height(), profile)
          : ImageScaling.wrap(pixels.bgrx(), pixels.width(), pixels.height());
      int orientation = segments.exif() == null ? ExifOrientation.NORMAL : ExifOrientation.orientationTag(segments.exif());
      boolean swapsAxes = orientation >= 5;
      return new DecodedImage(ExifOrientation.apply(image, orientation), ImageFormat.JPEG.id,
          swapsAxes ? header.height() : header.width(), swapsAxes ? header.width() : header.height());
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

  private DecodedImage decode(byte[] bytes, ImageInputStream in, int minSide) throws ImageDecodeException {
    ImageFormat format = sniff(in);
    // Everything that needs seeking comes before the codec runs: some codecs discard what they
    // have read (ImageIO's PNG reader flushes the stream), so seeking back afterwards fails.
    boolean endsEarly = endsEarly(format, in);
    int orientation = ExifOrientation.read(format, in);
    ICC_Profile profile = format == ImageFormat.PNG ? PngIccProfile.read(in) : null;
    ImageReader reader = format == ImageFormat.JPEG && isPlainJpeg(bytes) ? jdkJpegReader() : newReader(format);
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
        throw dataEndedEarly(format, endsEarly, dataEndedEarly);
      }
      BufferedImage rgb = SrgbConversion.toIntRgb(decoded, profile);
      int fullWidth = rgb.getWidth();
      int fullHeight = rgb.getHeight();
      // Reduced before it is turned upright, as libjpeg-turbo does, so both give the same pixels.
      BufferedImage reduced = ImageScaling.reduce(rgb, reduction(fullWidth, fullHeight, minSide));
      boolean swapsAxes = orientation >= 5 && orientation <= 8;
      return new DecodedImage(ExifOrientation.apply(reduced, orientation), format.id,
          swapsAxes ? fullHeight : fullWidth, swapsAxes ? fullWidth : fullHeight);
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
   * embedded profiles, and makes sense of (or explains) damaged headers.
   */
  private static boolean isPlainJpeg(byte[] bytes) {
    JpegSegments segments = JpegSegments.read(bytes);
    return segments.reachedScan() && !segments.hasIccSegment()
        && (segments.components() == 1 || segments.components() == 3);
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
          "the file is too large: %s, the limit is %s", ByteSizes.megabytes(size), ByteSizes.megabytes(limits.maxBytes())));
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

  private static boolean saysDataEndedEarly(String warning) {
    String lower = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
    return lower.contains("truncated") || lower.contains("premature end");
  }

  private static ImageDecodeException dataEndedEarly(ImageFormat format, boolean endsEarly, String warning) {
    return endsEarly
        ? new ImageDecodeException(Reason.TRUNCATED, TRUNCATED_MESSAGE)
        : new ImageDecodeException(Reason.CORRUPT, "the " + format.displayName
            + " data is damaged: part of the image is missing (" + warning + ")");
  }

  private static boolean endsEarly(ImageFormat format, byte[] bytes) {
    try (ImageInputStream in = new InMemoryImageInput(bytes)) {
      return endsEarly(format, in);
    } catch (IOException e) {
      return false;
    }
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

  /** libjpeg-turbo, looked up once per process, on first use. */
  private static final class TurboJpegHolder {
    static final Optional<TurboJpeg> LIBRARY = TurboJpeg.load();
  }
}
