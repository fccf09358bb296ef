package imgsearch.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes images as baseline JPEG with the JDK's writer at an explicit quality: thumbnails, re-encoded
 * crawled photos and generated benchmark images all come out of this one writer setting.
 */
public final class JpegEncoder {

  private JpegEncoder() {}

  /**
   * The image as JPEG bytes.
   *
   * @param image an image without alpha (RGB or grey): the JDK's writer does not write alpha JPEGs
   * @param quality 0 (smallest) to 1 (best)
   */
  public static byte[] encode(BufferedImage image, float quality) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(image, quality, bytes);
    return bytes.toByteArray();
  }

  /** Writes the image as JPEG to {@code out}, which is left open; see {@link #encode}. */
  public static void write(BufferedImage image, float quality, OutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
