package imgsearch.web;

import imgsearch.file.AtomicFiles;
import imgsearch.file.Sha256;
import imgsearch.image.DecodedImage;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.image.ImageScaling;
import imgsearch.image.JpegEncoder;
import imgsearch.index.ImageRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Small JPEG versions of indexed images, made on first request and cached on disk. The cache file name
 * is a hash of the image's id and content, so a changed file gets a new thumbnail and nothing from a
 * request ever becomes part of a path.
 */
final class Thumbnails {

  private static final float JPEG_QUALITY = 0.85f;

  private final Path dir;
  private final int size;
  private final ImageDecoder decoder;

  Thumbnails(Path dir, int size, ImageDecoder decoder) {
    this.dir = dir;
    this.size = size;
    this.decoder = decoder;
  }

  /** The cached thumbnail file of an indexed image, made now if missing. */
  Path get(ImageRecord image) throws IOException, ImageDecodeException {
    Path file = dir.resolve(cacheKey(image) + "-" + size + ".jpg");
    if (Files.isRegularFile(file)) {
      return file;
    }
    // Decoded at reduced size where the photo is large (libjpeg-turbo scales JPEGs while decoding).
    DecodedImage decoded = decoder.decode(Path.of(image.path()), size);
    byte[] jpeg = jpeg(decoded.image(), size);
    Files.createDirectories(dir);
    // Write then rename, so that concurrent requests never serve a half-written file.
    AtomicFiles.write(file, jpeg);
    return file;
  }

  /** The image scaled to fit in {@code maxSide} x {@code maxSide} (never enlarged), as JPEG bytes. */
  static byte[] jpeg(BufferedImage image, int maxSide) throws IOException {
    return JpegEncoder.encode(fit(image, maxSide), JPEG_QUALITY);
  }

  /** The image scaled (area-averaged) to fit in {@code maxSide} x {@code maxSide}, never enlarged. */
  static BufferedImage fit(BufferedImage image, int maxSide) {
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = (double) maxSide / Math.max(w, h);
    if (scale >= 1) {
      return ImageScaling.toRgb(image);
    }
    return ImageScaling.resize(image, Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale)));
  }

  private static String cacheKey(ImageRecord image) {
    MessageDigest sha = Sha256.newDigest();
    sha.update(image.id().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(String.valueOf(image.contentHash()).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }
}
