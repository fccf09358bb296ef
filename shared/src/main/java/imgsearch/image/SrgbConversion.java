package imgsearch.image;

import com.twelvemonkeys.imageio.color.ColorProfiles;
import com.twelvemonkeys.imageio.color.ColorSpaces;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.Transparency;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

/**
 * Turns whatever a codec returned (palette, grey, 16-bit, alpha, CMYK already converted by
 * TwelveMonkeys, an embedded ICC colour space) into the one form every descriptor expects: sRGB
 * {@code TYPE_INT_RGB}, transparent areas composited on white.
 */
final class SrgbConversion {

  private SrgbConversion() {}

  /**
   * Converts a decoded image.
   *
   * @param embeddedProfile an ICC profile the codec did not apply itself (PNG iCCP), or null
   */
  static BufferedImage toIntRgb(BufferedImage decoded, ICC_Profile embeddedProfile) {
    BufferedImage image = embeddedProfile == null ? decoded : withProfile(decoded, embeddedProfile);
    ColorModel model = image.getColorModel();
    ColorSpace space = model.getColorSpace();
    if (image.getType() == BufferedImage.TYPE_INT_RGB && space.isCS_sRGB()) {
      return image;
    }
    if (model instanceof IndexColorModel || space.isCS_sRGB()) {
      return flattenOnWhite(image);
    }
    if (space.getType() == ColorSpace.TYPE_GRAY) {
      return greyToRgb(image);
    }
    // Any other colour space (an ICC profile such as Adobe RGB or Display P3): convert with the CMM,
    // which is much faster and more exact than letting drawImage convert pixel by pixel.
    BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(),
        model.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    new ColorConvertOp(null).filter(image, converted);
    return model.hasAlpha() ? flattenOnWhite(converted) : converted;
  }

  /** Whether pixels in this profile's colour space need converting to sRGB (an RGB profile other than sRGB). */
  static boolean needsConversion(ICC_Profile profile) {
    return profile.getColorSpaceType() == ColorSpace.TYPE_RGB && !ColorProfiles.isCS_sRGB(profile);
  }

  /** Interleaved R, G, B bytes in the colour space of an RGB {@code profile}, converted to sRGB {@code TYPE_INT_RGB}. */
  static BufferedImage fromRgbBytes(byte[] rgb, int width, int height, ICC_Profile profile) {
    WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), width, height,
        3 * width, 3, new int[] {0, 1, 2}, null);
    ColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    return toIntRgb(new BufferedImage(model, raster, false, null), profile);
  }

  /** Parses an ICC profile; null if the data is not a usable profile (the image is then taken as sRGB, as browsers do). */
  static ICC_Profile parseProfile(byte[] data) {
    try {
      return ColorProfiles.createProfile(data);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The same pixels, reinterpreted in the colour space of an RGB profile the codec ignored. */
  private static BufferedImage withProfile(BufferedImage image, ICC_Profile profile) {
    ColorModel model = image.getColorModel();
    boolean usable = model instanceof ComponentColorModel
        && model.getColorSpace().getType() == ColorSpace.TYPE_RGB
        && profile.getColorSpaceType() == ColorSpace.TYPE_RGB
        && !ColorProfiles.isCS_sRGB(profile);
    if (!usable) {
      return image;
    }
    ColorModel profiled = new ComponentColorModel(ColorSpaces.createColorSpace(profile), model.getComponentSize(),
        model.hasAlpha(), model.isAlphaPremultiplied(), model.getTransparency(), model.getTransferType());
    WritableRaster raster = image.getRaster();
    return profiled.isCompatibleRaster(raster) ? new BufferedImage(profiled, raster, model.isAlphaPremultiplied(), null) : image;
  }

  private static BufferedImage flattenOnWhite(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      if (image.getColorModel().hasAlpha()) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
      }
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * Grey (1 to 16 bits, optionally with alpha) to RGB by copying the scaled grey value into each
   * channel. Java treats grey as linear and would brighten mid-greys on conversion; the values in
   * grey JPEGs and PNGs are gamma-encoded like sRGB, so they are copied as they are.
   */
  private static BufferedImage greyToRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    WritableRaster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean alpha = image.getColorModel().hasAlpha() && bands > 1;
    boolean premultiplied = image.getColorModel().isAlphaPremultiplied();
    double greyScale = 255.0 / ((1L << raster.getSampleModel().getSampleSize(0)) - 1);
    double alphaMax = alpha ? (1L << raster.getSampleModel().getSampleSize(bands - 1)) - 1 : 1;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        double grey = row[x * bands] * greyScale;
        if (alpha) {
          double a = row[x * bands + bands - 1] / alphaMax;
          grey = (premultiplied ? grey : grey * a) + 255 * (1 - a);
        }
        int v = (int) Math.max(0, Math.min(255, Math.round(grey)));
        pixels[y * w + x] = v << 16 | v << 8 | v;
      }
    }
    return out;
  }
}
