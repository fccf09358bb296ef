package imgsearch.eval;

import imgsearch.image.ImageScaling;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * What happens to a photo on its way around the web, as applied by {@code PhotoNearDuplicateSet} (bench module) to an
 * original to make a query. {@link #OTHER_VERSION} is not an edit of the original's pixels: its query is
 * another published version of the same picture, at another aspect ratio.
 */
public enum PhotoEdit {
  /** Shades of grey (luma in every channel). */
  GREY("grey"),
  /** The central part keeping half the area (1 / sqrt 2 of width and height). */
  CROP_CENTRE_HALF("crop-centre-half"),
  /**
   * A cut at another aspect ratio, as wallpapers and phone screens get: a 4:5 cut of the full height of a
   * landscape picture, a 16:9 cut of the full width of a portrait one, centred.
   */
  RECUT("recut"),
  /** Another published version of the picture whose aspect ratio differs by 10% or more. */
  OTHER_VERSION("other-version"),
  /** Mirrored left to right. */
  FLIP("flip"),
  /** A quarter of the width and height (bilinear, as an image editor does). */
  DOWNSCALE("downscale-25"),
  /** Re-encoded as JPEG at quality 15. */
  JPEG("jpeg-15"),
  /** Gaussian blur, sigma 2.5 px at 1024 px. */
  BLUR("blur"),
  /** Contrast times 0.7 or 1.3 and brightness -30 or +30 levels (one of four, by the seed). */
  BRIGHTNESS_CONTRAST("brightness-contrast"),
  /** A dark caption bar with text along the bottom and a watermark in a corner. */
  CAPTION("caption"),
  /** Width or height times 1.35 (aspect ratio changed without cropping). */
  STRETCH("stretch"),
  /** Rotated by 5 degrees either way, enlarged just enough that no empty corner shows. */
  ROTATE("rotate-5"),
  /** Letterboxed onto a dark square. */
  PAD("pad-square"),
  /** 80% corner crop, mirrored, halved, 20% brighter and JPEG quality 40, one after the other. */
  COMBINED("combined");

  private final String id;

  PhotoEdit(String id) {
    this.id = id;
  }

  /** Short name used in manifests and reports. */
  public String id() {
    return id;
  }

  /** The edit with this id. */
  public static PhotoEdit fromId(String id) {
    for (PhotoEdit e : values()) {
      if (e.id.equals(id)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown edit '" + id + "'");
  }

  /**
   * The edited copy of {@code image}; {@code random} picks details such as the crop corner.
   *
   * @throws UnsupportedOperationException for {@link #OTHER_VERSION}, which has no pixels of its own to edit
   */
  public BufferedImage apply(BufferedImage image, Random random) {
    return switch (this) {
      case GREY -> ImageScaling.toGrey(image);
      case CROP_CENTRE_HALF -> NearDuplicateSet.crop(image, Math.sqrt(0.5), 0.5, 0.5);
      case RECUT -> recut(image);
      case OTHER_VERSION -> throw new UnsupportedOperationException("another version is a file, not an edit");
      case FLIP -> ImageScaling.flipHorizontally(image);
      case DOWNSCALE -> scale(image, 0.25, 0.25);
      case JPEG -> NearDuplicateSet.jpeg(image, 0.15f);
      case BLUR -> blur(image, 2.5 * Math.max(image.getWidth(), image.getHeight()) / 1024.0);
      case BRIGHTNESS_CONTRAST -> levels(image, random.nextBoolean() ? 0.7 : 1.3, random.nextBoolean() ? -30 : 30);
      case CAPTION -> NearDuplicateSet.caption(image, random);
      case STRETCH -> random.nextBoolean() ? scale(image, 1.35, 1) : scale(image, 1, 1.35);
      case ROTATE -> rotate(image, Math.toRadians(random.nextBoolean() ? 5 : -5));
      case PAD -> pad(image);
      case COMBINED -> NearDuplicateSet.jpeg(NearDuplicateSet.brightness(NearDuplicateSet.scaleBilinear(
          ImageScaling.flipHorizontally(NearDuplicateSet.crop(image, 0.8, random.nextBoolean() ? 0.1 : 0.9,
              random.nextBoolean() ? 0.1 : 0.9)), 0.5), 1.2), 0.4f);
    };
  }

  static BufferedImage recut(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    int cw = w >= h ? Math.min(w, (int) Math.round(h * 4 / 5.0)) : w;
    int ch = w >= h ? h : Math.min(h, (int) Math.round(w * 9 / 16.0));
    return ImageScaling.fromRgb(ImageScaling.rgb(image.getSubimage((w - cw) / 2, (h - ch) / 2, cw, ch)), cw, ch);
  }

  /** Separable Gaussian blur, edges clamped. */
  static BufferedImage blur(BufferedImage image, double sigma) {
    int w = image.getWidth(), h = image.getHeight();
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    int[] px = ImageScaling.rgb(image);
    int[] tmp = new int[px.length];
    pass(px, tmp, w, h, kernel, radius, true);
    pass(tmp, px, w, h, kernel, radius, false);
    return ImageScaling.fromRgb(px, w, h);
  }

  private static void pass(int[] src, int[] dst, int w, int h, double[] kernel, int radius, boolean horizontal) {
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double r = 0, g = 0, b = 0;
        for (int k = -radius; k <= radius; k++) {
          int sx = horizontal ? Math.max(0, Math.min(w - 1, x + k)) : x;
          int sy = horizontal ? y : Math.max(0, Math.min(h - 1, y + k));
          int p = src[sy * w + sx];
          double wk = kernel[k + radius];
          r += wk * ((p >> 16) & 0xFF);
          g += wk * ((p >> 8) & 0xFF);
          b += wk * (p & 0xFF);
        }
        dst[y * w + x] = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
      }
    }
  }

  /** Every channel: (v - 128) * contrast + 128 + offset, clipped. */
  static BufferedImage levels(BufferedImage image, double contrast, double offset) {
    int[] px = ImageScaling.rgb(image);
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      px[i] = (clamp((((p >> 16) & 0xFF) - 128) * contrast + 128 + offset) << 16)
          | (clamp((((p >> 8) & 0xFF) - 128) * contrast + 128 + offset) << 8)
          | clamp(((p & 0xFF) - 128) * contrast + 128 + offset);
    }
    return ImageScaling.fromRgb(px, image.getWidth(), image.getHeight());
  }

  /** Width times {@code fx} and height times {@code fy}, bilinear. */
  static BufferedImage scale(BufferedImage image, double fx, double fy) {
    int w = Math.max(1, (int) Math.round(image.getWidth() * fx)), h = Math.max(1, (int) Math.round(image.getHeight() * fy));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Rotated about the centre and scaled up just enough to fill the same frame. */
  static BufferedImage rotate(BufferedImage image, double radians) {
    int w = image.getWidth(), h = image.getHeight();
    double s = Math.cos(Math.abs(radians)) + Math.max((double) w / h, (double) h / w) * Math.sin(Math.abs(radians));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    AffineTransform t = new AffineTransform();
    t.translate(w / 2.0, h / 2.0);
    t.rotate(radians);
    t.scale(s, s);
    t.translate(-w / 2.0, -h / 2.0);
    g.drawImage(image, t, null);
    g.dispose();
    return out;
  }

  /** Centred on a near-black square as wide as the longer side. */
  static BufferedImage pad(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight(), side = Math.max(w, h);
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(new Color(16, 16, 16));
    g.fillRect(0, 0, side, side);
    g.drawImage(image, (side - w) / 2, (side - h) / 2, null);
    g.dispose();
    return out;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
