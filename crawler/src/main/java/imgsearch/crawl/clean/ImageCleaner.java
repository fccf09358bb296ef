package imgsearch.crawl.clean;

import imgsearch.descriptor.PerceptualHash;
import imgsearch.image.DecodedImage;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageLimits;
import imgsearch.image.ImageSniffer;
import imgsearch.image.JpegEncoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Checks one downloaded file on its own (is it an image, does it decode, is it big enough, not blank, not a
 * strip) and turns kept ones into what is stored: the original bytes when they already are a clean,
 * upright RGB JPEG, otherwise an RGB JPEG re-encoded from the decoded pixels (EXIF orientation applied,
 * CMYK converted, alpha flattened on white by the decoder). Duplicate checks need the whole collection and
 * are the crawler's.
 */
public final class ImageCleaner {

  /** The outcome of {@link #inspect}. */
  public sealed interface Result permits Usable, Unusable {}

  /**
   * A file that passed every check.
   *
   * @param image the decoded pixels, sRGB, upright
   * @param format the sniffed container format
   * @param phash its perceptual hash
   */
  public record Usable(DecodedImage image, String format, long phash) implements Result {}

  /** A file that failed a check. */
  public record Unusable(Rejection rejection) implements Result {}

  private final CleaningOptions options;
  private final ImageDecoder decoder;

  public ImageCleaner(CleaningOptions options, ImageLimits limits) {
    this.options = options;
    this.decoder = new ImageDecoder(limits);
  }

  /** Runs every single-image check on {@code bytes}. */
  public Result inspect(byte[] bytes) {
    Optional<String> format = ImageSniffer.format(bytes);
    if (format.isEmpty()) {
      return drop(RejectReason.NOT_AN_IMAGE, ImageSniffer.describe(bytes));
    }
    DecodedImage decoded;
    try {
      decoded = decoder.decode(bytes);
    } catch (ImageDecodeException e) {
      return drop(reasonFor(e.reason()), e.getMessage());
    } catch (RuntimeException e) {
      // A codec bug on hostile input is still just an undecodable file.
      return drop(RejectReason.UNDECODABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    int w = decoded.width();
    int h = decoded.height();
    if (w < options.minWidth() || h < options.minHeight()) {
      return drop(RejectReason.TOO_SMALL, w + "x" + h + " is below " + options.minWidth() + "x" + options.minHeight());
    }
    double aspect = (double) Math.max(w, h) / Math.min(w, h);
    if (aspect > options.maxAspectRatio()) {
      return drop(RejectReason.EXTREME_ASPECT_RATIO, String.format(java.util.Locale.ROOT,
          "%dx%d has aspect ratio %.1f, over %.1f", w, h, aspect, options.maxAspectRatio()));
    }
    double spread = lumaStdDev(decoded.image());
    if (spread < options.minLumaStdDev()) {
      return drop(RejectReason.BLANK, String.format(java.util.Locale.ROOT,
          "luminance spread %.2f is below %.2f", spread, options.minLumaStdDev()));
    }
    return new Usable(decoded, format.get(), PerceptualHash.of(decoded.image()));
  }

  /**
   * What is stored for a usable image, and its hash.
   *
   * @param bytes the original when it is a clean JPEG, else a fresh RGB JPEG
   * @param phash the perceptual hash of {@code bytes} as decoded: the pixels anyone indexing the collection
   *     will see, so that the crawler's duplicate check and {@code imgsearch duplicates --descriptor phash} judge
   *     the same pixels
   */
  public record Stored(byte[] bytes, long phash) {}

  /** The bytes to store for a usable image, with the hash of what they decode to. */
  public Stored store(byte[] original, Usable usable) {
    byte[] bytes = storedJpeg(original, usable);
    if (bytes == original) {
      return new Stored(bytes, usable.phash());
    }
    try {
      return new Stored(bytes, PerceptualHash.of(decoder.decode(bytes).image()));
    } catch (ImageDecodeException e) {
      throw new IllegalStateException("a JPEG this program just encoded does not decode: " + e.getMessage(), e);
    }
  }

  /** The bytes to store for a usable image: the original when it is a clean JPEG, else a fresh RGB JPEG. */
  public byte[] storedJpeg(byte[] original, Usable usable) {
    if (keepsOriginal(original, usable)) {
      return original;
    }
    return encodeJpeg(usable.image().image(), options.jpegQuality());
  }

  /** Whether {@link #storedJpeg} keeps {@code original} byte for byte. */
  public boolean keepsOriginal(byte[] original, Usable usable) {
    return usable.format().equals("jpeg") && JpegInfo.read(original).map(JpegInfo::cleanRgb).orElse(false);
  }

  static RejectReason reasonFor(ImageDecodeException.Reason reason) {
    return switch (reason) {
      case NOT_AN_IMAGE -> RejectReason.NOT_AN_IMAGE;
      case TRUNCATED -> RejectReason.TRUNCATED;
      case TOO_MANY_BYTES -> RejectReason.TOO_LARGE;
      case TOO_MANY_PIXELS -> RejectReason.TOO_MANY_PIXELS;
      case CORRUPT, IO -> RejectReason.UNDECODABLE;
    };
  }

  /** Standard deviation of the luminance (0..255), on a grid of at most about 256x256 samples. */
  static double lumaStdDev(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int step = Math.max(1, Math.max(w, h) / 256);
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (int y = 0; y < h; y += step) {
      for (int x = 0; x < w; x += step) {
        double l = PerceptualHash.luma(img.getRGB(x, y));
        sum += l;
        sumSq += l * l;
        n++;
      }
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  }

  /** {@code image} as a baseline RGB (YCbCr) JPEG. */
  public static byte[] encodeJpeg(BufferedImage image, float quality) {
    BufferedImage rgb = image;
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = rgb.createGraphics();
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
      g.dispose();
    }
    try {
      return JpegEncoder.encode(rgb, quality);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode a JPEG in memory", e);
    }
  }

  private static Unusable drop(RejectReason reason, String detail) {
    return new Unusable(Rejection.of(reason, detail));
  }
}
