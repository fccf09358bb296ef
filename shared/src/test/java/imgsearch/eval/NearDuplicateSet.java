package imgsearch.eval;

import imgsearch.image.ImageScaling;
import imgsearch.image.JpegEncoder;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;

/**
 * A deterministic near-duplicate test set made from generated, photo-like scenes (landscapes, streets,
 * still lifes, close-up textures: gradients, shaded shapes, fractal noise, blur, sensor noise,
 * vignetting). Each base scene is stored as an original and altered by every {@link Transformation};
 * the altered copies are the queries, and the database holds the originals plus unrelated distractors,
 * a quarter of which share the palette and kind of a base scene with a different layout ("siblings",
 * like the many similar shots of one holiday in a real collection).
 *
 * <p>The same seed and sizes always give the same pixels on a given JDK.
 */
public final class NearDuplicateSet {

  /** An image of the database: an original or a distractor. */
  public record Entry(String id, BufferedImage image) {}

  /** An altered copy of {@code originalId}, the one right answer. */
  public record Query(String id, Transformation transformation, String originalId, BufferedImage image) {}

  /** What happens to photos on their way around the web. */
  public enum Transformation {
    /** The central 80% of width and height. */
    CROP_CENTRE("crop-centre", (img, r) -> crop(img, 0.8, 0.5, 0.5)),
    /** 80% of width and height, anchored near a corner. */
    CROP_CORNER("crop-corner", (img, r) -> crop(img, 0.8, r.nextBoolean() ? 0.05 : 0.95, r.nextBoolean() ? 0.05 : 0.95)),
    /** Half the width and height (bilinear, as an image editor does). */
    DOWNSCALE("downscale-50", (img, r) -> scaleBilinear(img, 0.5)),
    /** Re-encoded as JPEG at quality 25. */
    JPEG("jpeg-25", (img, r) -> jpeg(img, 0.25f)),
    /** Mirrored left to right. */
    FLIP("flip", (img, r) -> ImageScaling.flipHorizontally(img)),
    /** Converted to shades of grey. */
    GREY("grey", (img, r) -> ImageScaling.toGrey(img)),
    /** All channels times 1.3, clipped. */
    BRIGHTER("brighter-30", (img, r) -> brightness(img, 1.3)),
    /** All channels times 0.7. */
    DARKER("darker-30", (img, r) -> brightness(img, 0.7)),
    /** A dark caption bar with text along the bottom and a watermark in a corner. */
    CAPTION("caption", NearDuplicateSet::caption),
    /** 90% corner crop, mirrored, halved, 20% brighter and JPEG quality 40, one after the other. */
    COMBINED("combined", (img, r) -> jpeg(brightness(scaleBilinear(ImageScaling.flipHorizontally(
        crop(img, 0.9, r.nextBoolean() ? 0.1 : 0.9, r.nextBoolean() ? 0.1 : 0.9)), 0.5), 1.2), 0.4f));

    private final String id;
    private final BiFunction<BufferedImage, Random, BufferedImage> apply;

    Transformation(String id, BiFunction<BufferedImage, Random, BufferedImage> apply) {
      this.id = id;
      this.apply = apply;
    }

    /** Short name used in reports. */
    public String id() {
      return id;
    }

    /** The altered copy; {@code random} picks details such as the crop corner. */
    public BufferedImage apply(BufferedImage image, Random random) {
      return apply.apply(image, random);
    }
  }

  private final long seed;
  private final int scenes;
  private final List<Entry> database;
  private final List<Query> queries;

  private NearDuplicateSet(long seed, int scenes, List<Entry> database, List<Query> queries) {
    this.seed = seed;
    this.scenes = scenes;
    this.database = List.copyOf(database);
    this.queries = List.copyOf(queries);
  }

  /**
   * Generates {@code scenes} base scenes with every transformation of each, and {@code distractors}
   * unrelated images, from {@code seed}. Images are about {@code 320 x 240} (landscape or portrait).
   */
  public static NearDuplicateSet generate(long seed, int scenes, int distractors) {
    if (scenes < 1 || distractors < 0) {
      throw new IllegalArgumentException("need at least one scene and no negative distractors, got " + scenes
          + " and " + distractors);
    }
    List<Entry> db = new ArrayList<>();
    List<Query> queries = new ArrayList<>();
    for (int s = 0; s < scenes; s++) {
      long styleSeed = mix(seed, s);
      String id = String.format(Locale.ROOT, "scene-%03d", s);
      BufferedImage original = scene(styleSeed, styleSeed);
      db.add(new Entry(id, original));
      Random random = new Random(mix(styleSeed, 99));
      for (Transformation t : Transformation.values()) {
        queries.add(new Query(id + "/" + t.id(), t, id, t.apply(original, random)));
      }
    }
    for (int d = 0; d < distractors; d++) {
      // every fourth distractor is a sibling of a base scene: same kind and palette, new layout
      boolean sibling = d % 4 == 3;
      long styleSeed = sibling ? mix(seed, (d / 4) % scenes) : mix(seed ^ 0x5DEECE66DL, 1_000_000 + d);
      long layoutSeed = mix(seed ^ 0xD15EA5EL, d);
      String id = String.format(Locale.ROOT, sibling ? "sibling-%03d" : "distractor-%03d", d);
      db.add(new Entry(id, scene(styleSeed, layoutSeed)));
    }
    return new NearDuplicateSet(seed, scenes, db, queries);
  }

  public long seed() {
    return seed;
  }

  public int scenes() {
    return scenes;
  }

  /** Originals first (in scene order), then distractors. */
  public List<Entry> database() {
    return database;
  }

  /** Every transformation of every scene. */
  public List<Query> queries() {
    return queries;
  }

  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenes

  private enum Kind { LANDSCAPE, STREET, STILL_LIFE, TEXTURE }

  /**
   * One photo-like scene. {@code styleSeed} picks the kind of scene, its palette and size;
   * {@code layoutSeed} where things are. Equal seeds give the original, a different layout seed a sibling.
   */
  public static BufferedImage scene(long styleSeed, long layoutSeed) {
    Random style = new Random(styleSeed);
    Random layout = new Random(layoutSeed);
    Kind kind = Kind.values()[style.nextInt(Kind.values().length)];
    int[][] sizes = {{320, 240}, {320, 240}, {240, 320}, {360, 240}};
    int[] size = sizes[style.nextInt(sizes.length)];
    Palette palette = Palette.random(style);
    int w = size[0], h = size[1];
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    switch (kind) {
      case LANDSCAPE -> landscape(img, g, palette, layout);
      case STREET -> street(img, g, palette, layout);
      case STILL_LIFE -> stillLife(img, g, palette, layout);
      case TEXTURE -> texture(img, g, palette, layout);
    }
    g.dispose();
    return finish(img, layout);
  }

  /** A few related hues around a base hue, with a typical saturation and brightness. */
  private record Palette(float[] hues, float saturation, float brightness) {
    static Palette random(Random r) {
      float hue = r.nextFloat();
      float spread = 0.05f + r.nextFloat() * 0.4f;
      float[] hues = new float[5];
      for (int i = 0; i < hues.length; i++) {
        hues[i] = (hue + (r.nextFloat() - 0.5f) * 2 * spread + 1) % 1f;
      }
      return new Palette(hues, 0.25f + r.nextFloat() * 0.6f, 0.45f + r.nextFloat() * 0.45f);
    }

    Color color(Random r) {
      float h = hues[r.nextInt(hues.length)];
      float s = clamp01(saturation + (r.nextFloat() - 0.5f) * 0.5f);
      float b = clamp01(brightness + (r.nextFloat() - 0.5f) * 0.6f);
      return Color.getHSBColor(h, s, b);
    }
  }

  private static void landscape(BufferedImage img, Graphics2D g, Palette p, Random r) {
    int w = img.getWidth(), h = img.getHeight();
    boolean sunset = r.nextInt(3) == 0;
    Color skyTop = sunset ? Color.getHSBColor(0.7f, 0.5f, 0.35f) : Color.getHSBColor(0.58f + r.nextFloat() * 0.06f, 0.6f, 0.75f);
    Color skyLow = sunset ? Color.getHSBColor(0.05f + r.nextFloat() * 0.06f, 0.7f, 0.95f) : Color.getHSBColor(0.55f, 0.25f, 0.95f);
    double horizon = h * (0.35 + r.nextDouble() * 0.3);
    verticalGradient(img, 0, (int) horizon + 40, skyTop, skyLow);
    clouds(img, r, (int) horizon, sunset ? new Color(255, 190, 150) : Color.WHITE);
    if (r.nextBoolean()) {
      double sx = w * (0.15 + r.nextDouble() * 0.7), sy = horizon * (0.25 + r.nextDouble() * 0.5), sr = 8 + r.nextDouble() * 18;
      g.setPaint(new RadialGradientPaint(new Point2D.Double(sx, sy), (float) (sr * 3),
          new float[] {0f, 0.33f, 1f}, new Color[] {new Color(255, 250, 220), new Color(255, 230, 160, 160), new Color(255, 220, 150, 0)}));
      g.fill(new Ellipse2D.Double(sx - sr * 3, sy - sr * 3, sr * 6, sr * 6));
    }
    int layers = 1 + r.nextInt(3);
    for (int layer = 0; layer < layers; layer++) {
      double depth = (double) (layers - layer) / layers; // 1 = far
      Color c = mix(p.color(r), skyLow, 0.55 * depth);
      double base = horizon - depth * h * 0.12 + layer * h * 0.05;
      double amp = h * (0.05 + r.nextDouble() * 0.15);
      long ridgeSeed = r.nextLong();
      Path2D.Double ridge = new Path2D.Double();
      ridge.moveTo(0, h);
      for (int x = 0; x <= w; x += 2) {
        ridge.lineTo(x, base - amp * fbm1(ridgeSeed, x / (w * 0.35), 5));
      }
      ridge.lineTo(w, h);
      ridge.closePath();
      g.setColor(c);
      g.fill(ridge);
    }
    // foreground with grass or sand texture
    Color ground = p.color(r);
    double groundTop = horizon + h * (0.08 + r.nextDouble() * 0.15);
    noiseFill(img, (int) groundTop, h, ground, mix(ground, Color.BLACK, 0.5), r.nextLong(), 0.04, 1.0);
    if (r.nextBoolean()) {
      // a lake reflecting the sky
      int top = (int) (groundTop + (h - groundTop) * 0.2), bottom = (int) (top + (h - groundTop) * (0.2 + r.nextDouble() * 0.3));
      verticalGradient(img, top, Math.min(h, bottom), mix(skyLow, Color.BLACK, 0.2), mix(skyTop, Color.BLACK, 0.3));
    }
    int trees = r.nextInt(7);
    for (int t = 0; t < trees; t++) {
      double tx = r.nextDouble() * w, ty = groundTop + r.nextDouble() * (h - groundTop) * 0.5;
      double th = h * (0.1 + r.nextDouble() * 0.25), tw = th * (0.3 + r.nextDouble() * 0.3);
      g.setColor(new Color(70, 45, 25));
      g.fill(new Rectangle2D.Double(tx - tw * 0.08, ty - th * 0.3, tw * 0.16, th * 0.3));
      g.setColor(mix(Color.getHSBColor(0.25f + r.nextFloat() * 0.15f, 0.6f, 0.35f + r.nextFloat() * 0.2f), p.color(r), 0.2));
      if (r.nextBoolean()) {
        Path2D.Double cone = new Path2D.Double();
        cone.moveTo(tx, ty - th);
        cone.lineTo(tx - tw / 2, ty - th * 0.25);
        cone.lineTo(tx + tw / 2, ty - th * 0.25);
        cone.closePath();
        g.fill(cone);
      } else {
        g.fill(new Ellipse2D.Double(tx - tw / 2, ty - th, tw, th * 0.75));
      }
    }
  }

  private static void street(BufferedImage img, Graphics2D g, Palette p, Random r) {
    int w = img.getWidth(), h = img.getHeight();
    verticalGradient(img, 0, h, Color.getHSBColor(0.58f, 0.3f + r.nextFloat() * 0.3f, 0.6f + r.nextFloat() * 0.35f),
        Color.getHSBColor(0.1f, 0.1f, 0.9f));
    clouds(img, r, h / 2, Color.WHITE);
    double ground = h * (0.75 + r.nextDouble() * 0.15);
    double x = -r.nextDouble() * 30;
    while (x < w) {
      double bw = w * (0.12 + r.nextDouble() * 0.22);
      double bh = h * (0.25 + r.nextDouble() * 0.6);
      Color wall = p.color(r);
      g.setColor(wall);
      g.fill(new Rectangle2D.Double(x, ground - bh, bw, bh));
      // shaded side and windows
      g.setColor(mix(wall, Color.BLACK, 0.35));
      g.fill(new Rectangle2D.Double(x + bw * 0.85, ground - bh, bw * 0.15, bh));
      Color glass = r.nextBoolean() ? mix(wall, Color.BLACK, 0.6) : new Color(200, 220, 235);
      int cols = 2 + r.nextInt(4), rows = 3 + r.nextInt(8);
      double cw = bw * 0.8 / cols, rh = (bh - 10) / rows;
      g.setColor(glass);
      for (int i = 0; i < cols; i++) {
        for (int j = 0; j < rows; j++) {
          if (r.nextInt(6) > 0) {
            g.fill(new Rectangle2D.Double(x + bw * 0.06 + i * cw + cw * 0.2, ground - bh + 6 + j * rh + rh * 0.2,
                cw * 0.6, rh * 0.55));
          }
        }
      }
      x += bw + r.nextDouble() * 12;
    }
    noiseFill(img, (int) ground, h, new Color(90, 90, 95), new Color(50, 50, 55), r.nextLong(), 0.08, 0.6);
    g.setColor(new Color(230, 230, 210));
    g.setStroke(new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {18f, 14f}, r.nextFloat() * 30));
    double lane = ground + (h - ground) * 0.55;
    g.draw(new Line2D.Double(0, lane, w, lane));
    g.setStroke(new BasicStroke(1f));
    int cars = r.nextInt(4);
    for (int c = 0; c < cars; c++) {
      double cx = r.nextDouble() * w, cwid = w * (0.12 + r.nextDouble() * 0.08), chei = cwid * 0.35;
      double cy = ground + (h - ground) * (0.2 + r.nextDouble() * 0.5);
      g.setColor(Color.getHSBColor(r.nextFloat(), 0.7f, 0.3f + r.nextFloat() * 0.6f));
      g.fill(new RoundRectangle2D.Double(cx, cy - chei, cwid, chei, 8, 8));
      g.setColor(new Color(25, 25, 25));
      g.fill(new Ellipse2D.Double(cx + cwid * 0.12, cy - chei * 0.25, chei * 0.5, chei * 0.5));
      g.fill(new Ellipse2D.Double(cx + cwid * 0.7, cy - chei * 0.25, chei * 0.5, chei * 0.5));
    }
  }

  private static void stillLife(BufferedImage img, Graphics2D g, Palette p, Random r) {
    int w = img.getWidth(), h = img.getHeight();
    Color wall = p.color(r);
    double tableTop = h * (0.5 + r.nextDouble() * 0.25);
    horizontalLight(img, 0, (int) tableTop, wall, r.nextDouble());
    Color wood = mix(p.color(r), new Color(120, 80, 45), 0.5);
    woodFill(img, (int) tableTop, h, wood, r.nextLong());
    int objects = 2 + r.nextInt(5);
    for (int o = 0; o < objects; o++) {
      Color c = p.color(r);
      double ow = w * (0.1 + r.nextDouble() * 0.25);
      double oh = ow * (0.6 + r.nextDouble() * 1.2);
      double ox = r.nextDouble() * (w - ow);
      double base = tableTop + r.nextDouble() * (h - tableTop) * 0.6;
      // contact shadow
      g.setColor(new Color(0, 0, 0, 70));
      g.fill(new Ellipse2D.Double(ox - ow * 0.05, base - ow * 0.08, ow * 1.3, ow * 0.2));
      Point2D light = new Point2D.Double(ox + ow * 0.3, base - oh * 0.7);
      Shape shape = switch (r.nextInt(3)) {
        case 0 -> new Ellipse2D.Double(ox, base - oh, ow, oh);
        case 1 -> new RoundRectangle2D.Double(ox, base - oh, ow, oh, ow * 0.3, ow * 0.3);
        default -> vase(ox, base, ow, oh);
      };
      g.setPaint(new RadialGradientPaint(light, (float) Math.max(ow, oh), new float[] {0f, 0.15f, 1f},
          new Color[] {mix(c, Color.WHITE, 0.7), c, mix(c, Color.BLACK, 0.6)}, MultipleGradientPaint.CycleMethod.NO_CYCLE));
      g.fill(shape);
      if (r.nextInt(3) == 0) {
        g.setColor(mix(c, Color.BLACK, 0.5));
        g.setStroke(new BasicStroke(2f));
        for (int s = 1; s < 4; s++) {
          g.draw(new Line2D.Double(ox + ow * 0.1, base - oh * s / 4, ox + ow * 0.9, base - oh * s / 4));
        }
        g.setStroke(new BasicStroke(1f));
      }
    }
  }

  private static Shape vase(double x, double base, double w, double h) {
    Path2D.Double v = new Path2D.Double();
    v.moveTo(x + w * 0.35, base - h);
    v.lineTo(x + w * 0.65, base - h);
    v.curveTo(x + w * 0.6, base - h * 0.7, x + w * 1.1, base - h * 0.5, x + w * 0.8, base);
    v.lineTo(x + w * 0.2, base);
    v.curveTo(x - w * 0.1, base - h * 0.5, x + w * 0.4, base - h * 0.7, x + w * 0.35, base - h);
    v.closePath();
    return v;
  }

  private static void texture(BufferedImage img, Graphics2D g, Palette p, Random r) {
    int w = img.getWidth(), h = img.getHeight();
    Color[] stops = {p.color(r), p.color(r), p.color(r), p.color(r)};
    long noiseSeed = r.nextLong(), warpSeed = r.nextLong();
    double scale = 0.01 + r.nextDouble() * 0.03, warp = r.nextDouble() * 40, stretch = 0.3 + r.nextDouble() * 1.4;
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double wx = x + warp * (fbm2(warpSeed, x * scale, y * scale, 3) - 0.5);
        double v = fbm2(noiseSeed, wx * scale * stretch, y * scale / stretch, 5);
        px[y * w + x] = ramp(stops, v).getRGB() & 0xFFFFFF;
      }
    }
    img.getRaster().setDataElements(0, 0, w, h, px);
    int leaves = r.nextInt(12);
    for (int i = 0; i < leaves; i++) {
      Color c = p.color(r);
      double lx = r.nextDouble() * w, ly = r.nextDouble() * h, lw = 10 + r.nextDouble() * 40, lh = lw * (0.3 + r.nextDouble() * 0.4);
      Graphics2D gl = (Graphics2D) g.create();
      gl.rotate(r.nextDouble() * Math.PI, lx, ly);
      gl.setColor(c);
      gl.fill(new Ellipse2D.Double(lx - lw / 2, ly - lh / 2, lw, lh));
      gl.setColor(mix(c, Color.BLACK, 0.4));
      gl.draw(new Line2D.Double(lx - lw / 2, ly, lx + lw / 2, ly));
      gl.dispose();
    }
  }

  /** Soft focus, vignetting and sensor noise, as a camera adds them. */
  private static BufferedImage finish(BufferedImage img, Random r) {
    int w = img.getWidth(), h = img.getHeight();
    int[] px = ImageScaling.rgb(img);
    int[] out = new int[px.length];
    double vignette = 0.1 + r.nextDouble() * 0.25;
    Random noise = new Random(r.nextLong());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rs = 0, gs = 0, bs = 0, n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int xx = Math.max(0, Math.min(w - 1, x + dx)), yy = Math.max(0, Math.min(h - 1, y + dy));
            int p = px[yy * w + xx];
            int wt = (dx == 0 ? 2 : 1) * (dy == 0 ? 2 : 1);
            rs += wt * ((p >> 16) & 0xFF);
            gs += wt * ((p >> 8) & 0xFF);
            bs += wt * (p & 0xFF);
            n += wt;
          }
        }
        double ddx = (x - w / 2.0) / (w / 2.0), ddy = (y - h / 2.0) / (h / 2.0);
        double gain = 1 - vignette * (ddx * ddx + ddy * ddy) / 2;
        double grain = noise.nextGaussian() * 2.5;
        out[y * w + x] = (clampByte(rs * gain / n + grain) << 16) | (clampByte(gs * gain / n + grain) << 8)
            | clampByte(bs * gain / n + grain);
      }
    }
    return ImageScaling.fromRgb(out, w, h);
  }

  // ---------------------------------------------------------------------------------------------
  // Painting helpers

  private static void verticalGradient(BufferedImage img, int top, int bottom, Color a, Color b) {
    int w = img.getWidth();
    bottom = Math.min(bottom, img.getHeight());
    for (int y = Math.max(0, top); y < bottom; y++) {
      int c = mix(a, b, (double) (y - top) / Math.max(1, bottom - top)).getRGB();
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, c);
      }
    }
  }

  private static void horizontalLight(BufferedImage img, int top, int bottom, Color c, double lightAt) {
    int w = img.getWidth();
    for (int y = Math.max(0, top); y < Math.min(bottom, img.getHeight()); y++) {
      for (int x = 0; x < w; x++) {
        double d = Math.abs((double) x / w - lightAt);
        img.setRGB(x, y, mix(mix(c, Color.WHITE, 0.25), mix(c, Color.BLACK, 0.45), Math.min(1, d * 1.3)).getRGB());
      }
    }
  }

  private static void clouds(BufferedImage img, Random r, int bottom, Color cloud) {
    long seed = r.nextLong();
    double cover = r.nextDouble();
    double scale = 0.008 + r.nextDouble() * 0.012;
    int w = img.getWidth();
    for (int y = 0; y < Math.min(bottom, img.getHeight()); y++) {
      for (int x = 0; x < w; x++) {
        double v = fbm2(seed, x * scale, y * scale * 2.5, 5);
        double a = Math.max(0, Math.min(1, (v - 0.75 + cover * 0.3) * 4));
        if (a > 0) {
          img.setRGB(x, y, mix(new Color(img.getRGB(x, y)), cloud, a * 0.85).getRGB());
        }
      }
    }
  }

  private static void noiseFill(BufferedImage img, int top, int bottom, Color a, Color b, long seed, double scale, double stretch) {
    int w = img.getWidth();
    for (int y = Math.max(0, top); y < Math.min(bottom, img.getHeight()); y++) {
      for (int x = 0; x < w; x++) {
        double v = fbm2(seed, x * scale / stretch, y * scale * 2, 4);
        img.setRGB(x, y, mix(a, b, v).getRGB());
      }
    }
  }

  private static void woodFill(BufferedImage img, int top, int bottom, Color wood, long seed) {
    int w = img.getWidth();
    for (int y = Math.max(0, top); y < Math.min(bottom, img.getHeight()); y++) {
      for (int x = 0; x < w; x++) {
        double v = fbm2(seed, x * 0.004, y * 0.08, 3);
        double grain = 0.5 + 0.5 * Math.sin(v * 25);
        img.setRGB(x, y, mix(wood, mix(wood, Color.BLACK, 0.45), grain * 0.6).getRGB());
      }
    }
  }

  private static Color ramp(Color[] stops, double v) {
    double t = Math.max(0, Math.min(0.9999, v)) * (stops.length - 1);
    int i = (int) t;
    return mix(stops[i], stops[i + 1], t - i);
  }

  private static Color mix(Color a, Color b, double t) {
    double s = 1 - t;
    return new Color(clampByte(a.getRed() * s + b.getRed() * t), clampByte(a.getGreen() * s + b.getGreen() * t),
        clampByte(a.getBlue() * s + b.getBlue() * t));
  }

  private static int clampByte(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static float clamp01(float v) {
    return Math.max(0f, Math.min(1f, v));
  }

  /** Value noise on an integer lattice, smoothly interpolated; 0..1. */
  private static double noise2(long seed, double x, double y) {
    long xi = (long) Math.floor(x), yi = (long) Math.floor(y);
    double fx = x - xi, fy = y - yi;
    double sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    double a = lattice(seed, xi, yi), b = lattice(seed, xi + 1, yi);
    double c = lattice(seed, xi, yi + 1), d = lattice(seed, xi + 1, yi + 1);
    return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy;
  }

  private static double lattice(long seed, long x, long y) {
    return (mix(mix(seed, x), y) >>> 11) * 0x1.0p-53;
  }

  /** Fractal (1/f) sum of octaves of value noise; about 0..1. */
  private static double fbm2(long seed, double x, double y, int octaves) {
    double sum = 0, amp = 0.5, norm = 0;
    for (int o = 0; o < octaves; o++) {
      sum += amp * noise2(seed + o, x, y);
      norm += amp;
      x *= 2.03;
      y *= 2.03;
      amp *= 0.5;
    }
    return sum / norm;
  }

  private static double fbm1(long seed, double x, int octaves) {
    return fbm2(seed, x, 0.5, octaves);
  }

  // ---------------------------------------------------------------------------------------------
  // Transformations

  static BufferedImage crop(BufferedImage img, double fraction, double anchorX, double anchorY) {
    int w = img.getWidth(), h = img.getHeight();
    int cw = (int) Math.round(w * fraction), ch = (int) Math.round(h * fraction);
    int x = (int) Math.round((w - cw) * anchorX), y = (int) Math.round((h - ch) * anchorY);
    return ImageScaling.fromRgb(ImageScaling.rgb(img.getSubimage(x, y, cw, ch)), cw, ch);
  }

  static BufferedImage scaleBilinear(BufferedImage img, double factor) {
    return PhotoEdit.scale(img, factor, factor);
  }

  static BufferedImage brightness(BufferedImage img, double factor) {
    int[] px = ImageScaling.rgb(img);
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      px[i] = (clampByte(((p >> 16) & 0xFF) * factor) << 16) | (clampByte(((p >> 8) & 0xFF) * factor) << 8)
          | clampByte((p & 0xFF) * factor);
    }
    return ImageScaling.fromRgb(px, img.getWidth(), img.getHeight());
  }

  static BufferedImage jpeg(BufferedImage img, float quality) {
    try {
      return ImageScaling.toRgb(ImageIO.read(new ByteArrayInputStream(JpegEncoder.encode(img, quality))));
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG round trip failed", e);
    }
  }

  /** Glyphs of a made-up alphabet (3 x 5 cells), so captions need no installed font. */
  private static final int[] GLYPHS = glyphs();

  private static int[] glyphs() {
    Random r = new Random(26);
    int[] g = new int[26];
    for (int i = 0; i < g.length; i++) {
      int bits;
      do {
        bits = r.nextInt(1 << 15);
      } while (Integer.bitCount(bits) < 6 || Integer.bitCount(bits) > 11);
      g[i] = bits;
    }
    return g;
  }

  static BufferedImage caption(BufferedImage img, Random r) {
    int w = img.getWidth(), h = img.getHeight();
    BufferedImage out = ImageScaling.fromRgb(ImageScaling.rgb(img), w, h);
    Graphics2D g = out.createGraphics();
    int bar = Math.max(8, (int) Math.round(h * 0.14));
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.65f));
    g.setColor(Color.BLACK);
    g.fillRect(0, h - bar, w, bar);
    g.setComposite(AlphaComposite.SrcOver);
    int cell = Math.max(1, bar / 9);
    text(g, r, w * 0.04, h - bar + (bar - 5 * cell) / 2.0, cell, w * 0.92, new Color(245, 245, 245));
    // a translucent watermark near the top right corner
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.5f));
    int small = Math.max(1, cell * 2 / 3);
    text(g, r, w * 0.62, h * 0.05, small, w * 0.34, Color.WHITE);
    g.dispose();
    return out;
  }

  private static void text(Graphics2D g, Random r, double x0, double y0, int cell, double maxWidth, Color color) {
    g.setColor(color);
    double x = x0;
    while (x < x0 + maxWidth - 4 * cell) {
      int word = 2 + r.nextInt(7);
      for (int c = 0; c < word && x < x0 + maxWidth - 4 * cell; c++) {
        int glyph = GLYPHS[r.nextInt(GLYPHS.length)];
        for (int bit = 0; bit < 15; bit++) {
          if ((glyph >> bit & 1) != 0) {
            g.fillRect((int) Math.round(x + (bit % 3) * cell), (int) Math.round(y0 + (bit / 3) * cell), cell, cell);
          }
        }
        x += 4 * cell;
      }
      x += 3 * cell;
    }
  }
}
