package imgsearch.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image ready for describing.
 *
 * @param image sRGB pixels, {@code TYPE_INT_RGB}, EXIF orientation applied, alpha flattened on white
 * @param format the detected container format, lower case: jpeg, png, gif, bmp, webp
 */
public record DecodedImage(BufferedImage image, String format) {

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }
}
