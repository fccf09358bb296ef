package imgsearch.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image ready for describing.
 *
 * @param image sRGB pixels, {@code TYPE_INT_RGB}, EXIF orientation applied, alpha flattened on white; at
 *     full size, or reduced when a smaller image was asked for ({@link ImageDecoder#decode(byte[], int)})
 * @param format the detected container format, lower case: jpeg, png, gif, bmp, webp
 * @param width the full-size width, after EXIF orientation (also when {@code image} is reduced)
 * @param height the full-size height, after EXIF orientation
 */
public record DecodedImage(BufferedImage image, String format, int width, int height) {

  /** An image decoded at full size. */
  public DecodedImage(BufferedImage image, String format) {
    this(image, format, image.getWidth(), image.getHeight());
  }

  /** Whether {@link #image} is smaller than the full-size image. */
  public boolean reduced() {
    return image.getWidth() != width || image.getHeight() != height;
  }
}
