package imgsearch.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Deterministic test images and encoded files, shared by the tests of every module (it ships in the
 * imgsearch-shared test-jar). Everything is generated from a seed or read from the tiny fixtures in
 * {@code src/test/resources/images} (see the README there), so tests never need the network.
 */
public final class TestImages {

  /** Side of the colour cube used by {@link #palettePng} and {@link #gif}: channel levels 0, 51, ..., 255. */
  public static final int PALETTE_LEVELS = 6;

  private TestImages() {}

  /**
   * A photo-like image: a smooth four-corner gradient, a few overlapping coloured shapes and a mild
   * noise texture, so that colour, edge and texture descriptors all see structure. The same seed
   * and size always give the same pixels; different seeds give clearly different images.
   */
  public static BufferedImage photoLike(long seed, int width, int height) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[][] corners = new int[4][3];
    for (int[] corner : corners) {
      for (int c = 0; c < 3; c++) {
        corner[c] = 30 + random.nextInt(196);
      }
    }
    for (int y = 0; y < height; y++) {
      double fy = height == 1 ? 0 : y / (double) (height - 1);
      for (int x = 0; x < width; x++) {
        double fx = width == 1 ? 0 : x / (double) (width - 1);
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double top = corners[0][c] * (1 - fx) + corners[1][c] * fx;
          double bottom = corners[2][c] * (1 - fx) + corners[3][c] * fx;
          rgb = rgb << 8 | (int) Math.round(top * (1 - fy) + bottom * fy);
        }
        image.setRGB(x, y, rgb);
      }
    }
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int shapes = 3 + random.nextInt(4);
      for (int i = 0; i < shapes; i++) {
        g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        double x = random.nextDouble() * width * 0.8;
        double y = random.nextDouble() * height * 0.8;
        double w = width * (0.1 + random.nextDouble() * 0.4);
        double h = height * (0.1 + random.nextDouble() * 0.4);
        switch (random.nextInt(4)) {
          case 0 -> g.fill(new Ellipse2D.Double(x, y, w, h));
          case 1 -> g.fill(new Rectangle2D.Double(x, y, w, h));
          case 2 -> {
            Path2D triangle = new Path2D.Double();
            triangle.moveTo(x, y + h);
            triangle.lineTo(x + w / 2, y);
            triangle.lineTo(x + w, y + h);
            triangle.closePath();
            g.fill(triangle);
          }
          default -> {
            g.setStroke(new BasicStroke((float) Math.max(1, Math.min(width, height) / 40.0)));
            for (int line = 0; line < 5; line++) {
              g.drawLine((int) x, (int) (y + line * h / 5), (int) (x + w), (int) (y + line * h / 5 + h / 10));
            }
          }
        }
      }
    } finally {
      g.dispose();
    }
    // Mild texture: deterministic noise of a few levels on every channel.
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int noise = random.nextInt(13) - 6;
        image.setRGB(x, y, clamp((rgb >> 16 & 0xFF) + noise) << 16 | clamp((rgb >> 8 & 0xFF) + noise) << 8
            | clamp((rgb & 0xFF) + noise));
      }
    }
    return image;
  }

  /** An image of one colour, {@code TYPE_INT_RGB}. */
  public static BufferedImage solid(int width, int height, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = new int[width * height];
    Arrays.fill(pixels, rgb & 0xFFFFFF);
    image.setRGB(0, 0, width, height, pixels, 0, width);
    return image;
  }

  /**
   * A {@code width x height} blue image with a red square of side {@code min(width, height) / 4} in
   * its top-left corner: after any rotation or mirroring, where the square ends up shows what was done.
   */
  public static BufferedImage cornerMarked(int width, int height) {
    BufferedImage image = solid(width, height, 0x0000FF);
    int side = Math.max(1, Math.min(width, height) / 4);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, 0xFF0000);
      }
    }
    return image;
  }

  /** The image as 8-bit grey ({@code TYPE_BYTE_GRAY}), luma computed with Rec. 601 weights, values copied as they are. */
  public static BufferedImage grey(BufferedImage image) {
    BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = grey.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        raster.setSample(x, y, 0, clamp((int) Math.round(
            0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF))));
      }
    }
    return grey;
  }

  /** A baseline JPEG. Grey images stay one-channel JPEGs; alpha is dropped. */
  public static byte[] jpeg(BufferedImage image, float quality) {
    return writeJpeg(image, quality, false);
  }

  /** A progressive JPEG. */
  public static byte[] progressiveJpeg(BufferedImage image, float quality) {
    return writeJpeg(image, quality, true);
  }

  /** An 8-bit PNG of the image as it is (RGB, grey, ...). */
  public static byte[] png(BufferedImage image) {
    return write(image, "png");
  }

  /** An RGBA PNG of the image's colours with every pixel's alpha set to {@code alpha} (0 transparent .. 255 opaque). */
  public static byte[] pngWithAlpha(BufferedImage image, int alpha) {
    BufferedImage argb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        argb.setRGB(x, y, (alpha & 0xFF) << 24 | image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return write(argb, "png");
  }

  /** A 16-bit-per-channel RGB PNG; each 8-bit value v is stored as v * 257, so it reduces back to v exactly. */
  public static byte[] png16Bit(BufferedImage image) {
    ColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
        false, false, ColorModel.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(image.getWidth(), image.getHeight());
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        raster.setPixel(x, y, new int[] {(rgb >> 16 & 0xFF) * 257, (rgb >> 8 & 0xFF) * 257, (rgb & 0xFF) * 257});
      }
    }
    return write(new BufferedImage(model, raster, false, null), "png");
  }

  /**
   * A palette PNG: every pixel rounded to the nearest colour of a {@value #PALETTE_LEVELS}-level
   * colour cube (see {@link #paletteColour}), no dithering, so pure primaries stay exact.
   */
  public static byte[] palettePng(BufferedImage image) {
    return write(toPalette(image), "png");
  }

  /**
   * A GIF of the first image, followed by the others as further animation frames (the decoder
   * keeps only the first). Colours are rounded like {@link #palettePng}.
   */
  public static byte[] gif(BufferedImage first, BufferedImage... more) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      if (more.length == 0) {
        writer.write(toPalette(first));
      } else {
        writer.prepareWriteSequence(null);
        writer.writeToSequence(new IIOImage(toPalette(first), null, null), null);
        for (BufferedImage frame : more) {
          writer.writeToSequence(new IIOImage(toPalette(frame), null, null), null);
        }
        writer.endWriteSequence();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A 24-bit BMP. */
  public static byte[] bmp(BufferedImage image) {
    return write(toIntRgb(image), "bmp");
  }

  /** The palette colour {@link #palettePng} and {@link #gif} store for an RGB value. */
  public static int paletteColour(int rgb) {
    int step = 255 / (PALETTE_LEVELS - 1);
    int r = Math.round((rgb >> 16 & 0xFF) / (float) step) * step;
    int g = Math.round((rgb >> 8 & 0xFF) / (float) step) * step;
    int b = Math.round((rgb & 0xFF) / (float) step) * step;
    return r << 16 | g << 8 | b;
  }

  /**
   * A JPEG (quality 0.95) with an APP1 Exif segment, spliced in right after SOI, whose IFD0 holds
   * only the Orientation tag (1..8).
   */
  public static byte[] jpegWithOrientation(BufferedImage image, int exifOrientation) {
    byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiffWithOrientation(exifOrientation));
    return spliceJpegSegment(jpeg(image, 0.95f), 0xE1, exif);
  }

  /** A PNG with an eXIf chunk (PNG 1.5 extension) holding the Orientation tag, placed before the image data. */
  public static byte[] pngWithOrientation(BufferedImage image, int exifOrientation) {
    return splicePngChunk(png(image), "eXIf", tiffWithOrientation(exifOrientation));
  }

  /** A JPEG (quality 0.95) whose pixel values are meant in the given colour profile (an APP2 ICC_PROFILE segment). */
  public static byte[] jpegWithIccProfile(BufferedImage image, ICC_Profile profile) {
    byte[] data = profile.getData();
    byte[] header = concat("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 1});
    return spliceJpegSegment(jpeg(image, 0.95f), 0xE2, concat(header, data));
  }

  /** A PNG whose pixel values are meant in the given colour profile (an iCCP chunk). */
  public static byte[] pngWithIccProfile(BufferedImage image, ICC_Profile profile) {
    byte[] name = "test profile\0".getBytes(StandardCharsets.US_ASCII);
    return splicePngChunk(png(image), "iCCP", concat(name, new byte[] {0}, deflate(profile.getData())));
  }

  /** The first {@code keepBytes} bytes of {@code data}, as a download cut short would leave them. */
  public static byte[] truncated(byte[] data, int keepBytes) {
    if (keepBytes < 0 || keepBytes > data.length) {
      throw new IllegalArgumentException("keepBytes must be between 0 and " + data.length + ", was " + keepBytes);
    }
    return Arrays.copyOf(data, keepBytes);
  }

  /**
   * A decompression bomb: a PNG of a few dozen bytes whose IHDR (with a valid CRC) claims
   * {@code width x height} RGB pixels. Its image data is a single deflated row, so a decoder that
   * trusts the header would allocate the pixels and then fail.
   */
  public static byte[] pngBomb(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    png.writeBytes(pngChunk("IHDR", ihdr.array()));
    png.writeBytes(pngChunk("IDAT", deflate(new byte[4])));
    png.writeBytes(pngChunk("IEND", new byte[0]));
    return png.toByteArray();
  }

  /** A small HTML error page: what a server sends instead of the image (often as image/jpeg). */
  public static byte[] html() {
    return """
        <!DOCTYPE html>
        <html><head><title>404 Not Found</title></head>
        <body><h1>Not Found</h1><p>The requested image was not found on this server.</p></body></html>
        """.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A 64x48 CMYK JPEG (Adobe APP14, inverted CMYK as Photoshop writes it, no ICC profile) made with
   * ImageMagick: quadrants red (top left), green (top right), blue (bottom left), white (bottom right).
   */
  public static byte[] cmykJpeg() {
    return resource("cmyk-quadrants.jpg");
  }

  /** A 64x48 lossy WebP (VP8) with the same quadrants as {@link #cmykJpeg}. */
  public static byte[] webp() {
    return resource("quadrants-lossy.webp");
  }

  /** A 64x48 lossless WebP (VP8L) with alpha: left half opaque red, right half fully transparent. */
  public static byte[] webpWithAlpha() {
    return resource("alpha-lossless.webp");
  }

  /** A 40x20 lossless WebP of {@link #cornerMarked cornerMarked(40, 20)} with an EXIF chunk saying orientation 6. */
  public static byte[] webpWithOrientation6() {
    return resource("orientation6-lossless.webp");
  }

  /** Writes bytes to {@code dir/name} and returns the path. */
  public static Path write(Path dir, String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test fixture /images/" + name + " is missing from the test classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] writeJpeg(BufferedImage image, float quality, boolean progressive) {
    BufferedImage source = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? image : toIntRgb(image);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.write(null, new IIOImage(source, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, bytes)) {
        throw new IllegalStateException("no ImageIO writer for " + format + " accepts " + image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static BufferedImage toIntRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static BufferedImage toPalette(BufferedImage image) {
    int colours = PALETTE_LEVELS * PALETTE_LEVELS * PALETTE_LEVELS;
    byte[] r = new byte[colours];
    byte[] g = new byte[colours];
    byte[] b = new byte[colours];
    int step = 255 / (PALETTE_LEVELS - 1);
    for (int i = 0; i < colours; i++) {
      r[i] = (byte) (i / (PALETTE_LEVELS * PALETTE_LEVELS) * step);
      g[i] = (byte) (i / PALETTE_LEVELS % PALETTE_LEVELS * step);
      b[i] = (byte) (i % PALETTE_LEVELS * step);
    }
    BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, colours, r, g, b));
    WritableRaster raster = indexed.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int colour = paletteColour(image.getRGB(x, y));
        int index = ((colour >> 16 & 0xFF) / step * PALETTE_LEVELS + (colour >> 8 & 0xFF) / step) * PALETTE_LEVELS
            + (colour & 0xFF) / step;
        raster.setSample(x, y, 0, index);
      }
    }
    return indexed;
  }

  /** A little-endian TIFF structure whose only IFD holds the Orientation tag (274, SHORT). */
  private static byte[] tiffWithOrientation(int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8); // header, IFD0 at offset 8
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    return tiff.array();
  }

  /** Inserts a JPEG marker segment right after SOI. */
  private static byte[] spliceJpegSegment(byte[] jpeg, int marker, byte[] payload) {
    int length = payload.length + 2;
    if (length > 0xFFFF) {
      throw new IllegalArgumentException("JPEG segment too long: " + length);
    }
    byte[] segment = concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length}, payload);
    return concat(Arrays.copyOf(jpeg, 2), segment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
  }

  /** Inserts a PNG chunk right after IHDR (signature 8 bytes + IHDR 25 bytes). */
  private static byte[] splicePngChunk(byte[] png, String type, byte[] data) {
    int afterIhdr = 8 + 25;
    return concat(Arrays.copyOf(png, afterIhdr), pngChunk(type, data), Arrays.copyOfRange(png, afterIhdr, png.length));
  }

  private static byte[] pngChunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
        .putInt((int) crc.getValue()).array();
  }

  private static byte[] deflate(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }
}
