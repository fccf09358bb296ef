package imgsearch.descriptor;

import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A compact global descriptor built to survive what happens to photos on the web: crops, other cuts of
 * the same picture, rescaling, recompression, mirroring, grey conversion, brightness and contrast changes,
 * captions and letterbox padding. Flat bands of one colour framing the picture on two opposite sides
 * (letterbox or pillarbox padding) are cut away first, on a copy at most 128 x 128; what is left is
 * area-averaged to a 64 x 64 thumbnail, from which four parts are computed, each L2-normalised and then
 * scaled by the square root of its weight's share:
 *
 * <ol>
 *   <li><b>edges</b> (88 values): a pyramid (1 x 1, 2 x 2, 4 x 4 cells) of histograms of 8 unsigned Sobel
 *       gradient orientations on luma, weighted by gradient magnitude, soft-binned in orientation and
 *       space, square-rooted, each level L2-normalised. Gradients ignore brightness offsets and the
 *       normalisation removes brightness gains; luma survives grey conversion.
 *   <li><b>brightness layout</b> (16 values): 4 x 4 cell means of luma as z-scores (minus the mean, over
 *       the standard deviation), so brightness and contrast changes cancel.
 *   <li><b>hues</b> (32 values): a global histogram of 16 hues (soft, circular) x 2 saturation levels,
 *       square roots of pixel shares. Hue and saturation do not change when all channels are scaled, and a
 *       global histogram does not care where things are, which is what makes crops survivable. Greys and
 *       near-blacks are left out; an image with under 1% of coloured pixels counts as grey and has an
 *       all-zero hue part.
 *   <li><b>contrast</b> (8 values): a global histogram of luma z-scores over [-2, 2], square roots of
 *       shares; never all zero, so the vector never is.
 * </ol>
 *
 * <p>The vector is not normalised again, and its metric is the dot product: the score is the weighted sum
 * of the parts' cosines. A colour image's vector has unit length; a grey image's lacks the hue share. So a
 * grey query is compared with every candidate on the parts a grey copy keeps (its luma), with the same
 * weights whether the candidate is in colour or grey; cosine would rescale its luma parts to fill the
 * missing hue share and favour grey candidates (edge-colour v1 did, and found a grey copy's original for
 * 14% of the queries of docs/near-duplicates.md).
 *
 * <p>Every part is mirror-symmetric, so a horizontally flipped image gets the same vector: the edge
 * pyramid adds each cell to its mirror cell with orientations reflected, and the brightness layout keeps,
 * for each pair of mirrored cells, their sum and absolute difference. The design and weights were chosen
 * on the tune part of {@code imgsearch.eval.PhotoNearDuplicateSet} (bench module; see docs/near-duplicates.md).
 */
public final class EdgeColourDescriptor implements Descriptor {

  /** Registry name. */
  public static final String NAME = "edge-colour";

  static final int THUMBNAIL = 64;
  /** Side of the small copy on which letterbox borders are looked for. */
  static final int BORDER_GRID = 128;
  /** Images with fewer pixels of reliable hue than this share count as grey: no hue part. */
  static final double MIN_COLOURED_SHARE = 0.01;
  static final int ORIENTATIONS = 8;
  static final int[] PYRAMID = {1, 2, 4};
  static final int LAYOUT_GRID = 4;
  static final int HUES = 16;
  static final int CONTRAST_BINS = 8;
  /** Pixels below this saturation ((max - min) / max) or this maximum channel value have no reliable hue. */
  static final double MIN_SATURATION = 0.15;
  static final int MIN_VALUE = 25;
  /** Saturation splitting the two hue rows. */
  static final double VIVID_SATURATION = 0.45;

  static final int EDGE_DIM = edgeDim();
  static final int LAYOUT_DIM = LAYOUT_GRID * ((LAYOUT_GRID + 1) / 2) * 2;
  static final int HUE_DIM = 2 * HUES;
  static final int DIMENSION = EDGE_DIM + LAYOUT_DIM + HUE_DIM + CONTRAST_BINS;

  /**
   * Share of each part in the vector (of its squared norm, before the final normalisation). A zero
   * weight leaves that part all zeros, for ablation studies.
   */
  record Weights(double edges, double brightnessLayout, double hues, double contrast) {
    static final Weights TUNED = new Weights(1.0, 0.2, 1.0, 0.3);
  }

  /** The choices studied in docs/near-duplicates.md; {@link #CHOSEN} is what the descriptor uses. */
  record Tuning(Weights weights, boolean trimBorders) {
    static final Tuning CHOSEN = new Tuning(Weights.TUNED, true);
  }

  /**
   * Dot product only: it adds up the weighted per-part cosines, and a part an image lacks (the hues of a
   * grey image) adds nothing to any candidate. Cosine or L2 would rescale a grey image's other parts and
   * favour grey candidates for grey queries.
   */
  private static final List<Metric> METRICS = List.of(Metric.DOT);

  private final Tuning tuning;

  EdgeColourDescriptor(Tuning tuning) {
    this.tuning = tuning;
  }

  EdgeColourDescriptor(Weights weights) {
    this(new Tuning(weights, Tuning.CHOSEN.trimBorders()));
  }

  public EdgeColourDescriptor() {
    this(Tuning.CHOSEN);
  }

  /** Parses the config: this descriptor has none, so only {@code ""} is accepted. */
  public static EdgeColourDescriptor fromConfig(String config) {
    if (config != null && !config.isBlank()) {
      throw new IllegalArgumentException(NAME + " takes no configuration, got '" + config + "'");
    }
    return new EdgeColourDescriptor();
  }

  private static int edgeDim() {
    int d = 0;
    for (int g : PYRAMID) {
      d += g * ((g + 1) / 2) * ORIENTATIONS;
    }
    return d;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * 3: described from the photo decoded at reduced size (shorter side at least {@value #BORDER_GRID}), its
   * border grid area-averaged from a copy reduced by block means; 2 read the full-size photo.
   */
  @Override
  public int version() {
    return 3;
  }

  /**
   * Letterbox borders are looked for on a copy at most {@value #BORDER_GRID} px a side, area-averaged
   * from the photo decoded with its shorter side at least that.
   */
  @Override
  public int inputSide() {
    return BORDER_GRID;
  }

  @Override
  public String config() {
    return "";
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public List<Metric> metrics() {
    return METRICS;
  }

  @Override
  public float[] describe(BufferedImage image) {
    // A small copy first, on which letterbox borders are found and cut away. It is area-averaged from the
    // image reduced by block means to at most twice its side: nearly what the full-size photo would give,
    // for a fraction of the work.
    BufferedImage reduced = ImageScaling.reduceTo(image, BORDER_GRID);
    int w = reduced.getWidth(), h = reduced.getHeight();
    int sw = Math.min(w, BORDER_GRID), sh = Math.min(h, BORDER_GRID);
    int[] small = ImageScaling.resize(ImageScaling.pixels(reduced), w, h, sw, sh);
    int[] box = tuning.trimBorders() ? Borders.content(small, sw, sh) : new int[] {0, 0, sw, sh};
    int bw = box[2] - box[0], bh = box[3] - box[1];
    int[] content = crop(small, sw, box);
    int n = THUMBNAIL;
    int[] rgb = ImageScaling.resize(content, bw, bh, n, n);
    float[] luma = ImageScaling.luma(rgb);
    Weights weights = tuning.weights();
    double total = weights.edges() + weights.brightnessLayout() + weights.hues() + weights.contrast();
    float[] out = new float[DIMENSION];
    int at = 0;
    at = put(out, at, edges(luma, n), weights.edges() / total);
    at = put(out, at, brightnessLayout(rgb, n), weights.brightnessLayout() / total);
    float[] hues = hues(rgb);
    // too few coloured pixels to trust their hues: the image counts as grey, and its hue part stays zero
    at = put(out, at, colouredShare(rgb) < MIN_COLOURED_SHARE ? new float[HUE_DIM] : hues, weights.hues() / total);
    put(out, at, contrast(luma), weights.contrast() / total);
    return out;
  }

  /** The pixels inside {@code box} ({@code x0, y0, x1, y1}) of an image {@code width} pixels wide. */
  private static int[] crop(int[] rgb, int width, int[] box) {
    int bw = box[2] - box[0], bh = box[3] - box[1];
    int[] content = new int[bw * bh];
    for (int y = 0; y < bh; y++) {
      System.arraycopy(rgb, (box[1] + y) * width + box[0], content, y * bw, bw);
    }
    return content;
  }

  /** Copies the L2-normalised part scaled by sqrt(weight) into {@code out} at {@code at}; returns the next free index. */
  private static int put(float[] out, int at, float[] part, double weight) {
    normalise(part);
    float scale = (float) Math.sqrt(weight);
    for (int i = 0; i < part.length; i++) {
      out[at + i] = part[i] * scale;
    }
    return at + part.length;
  }

  private static void normalise(float[] v) {
    double ss = 0;
    for (float x : v) {
      ss += (double) x * x;
    }
    if (ss > 0) {
      float inv = (float) (1 / Math.sqrt(ss));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
  }

  /** Mirror-folded pyramid of magnitude-weighted orientation histograms, square-rooted, each level normalised. */
  static float[] edges(float[] y, int n) {
    double[][] hist = new double[PYRAMID.length][];
    for (int l = 0; l < PYRAMID.length; l++) {
      hist[l] = new double[PYRAMID[l] * PYRAMID[l] * ORIENTATIONS];
    }
    // each loop is a method of its own, so the JIT compiles each once rather than this method per hot loop
    for (int r = 1; r < n - 1; r++) {
      addGradients(y, n, r, hist);
    }
    float[] out = new float[EDGE_DIM];
    int at = 0;
    for (int l = 0; l < PYRAMID.length; l++) {
      float[] level = foldLevel(hist[l], PYRAMID[l]);
      normalise(level);
      System.arraycopy(level, 0, out, at, level.length);
      at += level.length;
    }
    return out;
  }

  /** Adds the Sobel gradients of row {@code r} to every level's orientation histograms. */
  private static void addGradients(float[] y, int n, int r, double[][] hist) {
    int bins = ORIENTATIONS;
    for (int c = 1; c < n - 1; c++) {
      double gx = (y[(r - 1) * n + c + 1] + 2 * y[r * n + c + 1] + y[(r + 1) * n + c + 1])
          - (y[(r - 1) * n + c - 1] + 2 * y[r * n + c - 1] + y[(r + 1) * n + c - 1]);
      double gy = (y[(r + 1) * n + c - 1] + 2 * y[(r + 1) * n + c] + y[(r + 1) * n + c + 1])
          - (y[(r - 1) * n + c - 1] + 2 * y[(r - 1) * n + c] + y[(r - 1) * n + c + 1]);
      double magnitude = Math.sqrt(gx * gx + gy * gy);
      if (magnitude == 0) {
        continue;
      }
      // unsigned orientation in [0, pi); bin k is centred on (k + 0.5) pi / bins, so mirroring
      // (theta -> pi - theta) maps bin k to bin bins - 1 - k exactly
      double theta = atan2(gy, gx);
      if (theta < 0) {
        theta += Math.PI;
      }
      double t = theta / Math.PI * bins - 0.5;
      int b0 = (int) Math.floor(t);
      double fb = t - b0;
      int binA = Math.floorMod(b0, bins), binB = Math.floorMod(b0 + 1, bins);
      for (int l = 0; l < PYRAMID.length; l++) {
        int g = PYRAMID[l];
        // bilinear share among the four nearest cell centres, clamped at the borders
        double u = (c + 0.5) / n * g - 0.5, v = (r + 0.5) / n * g - 0.5;
        int u0 = (int) Math.floor(u), v0 = (int) Math.floor(v);
        double fu = u - u0, fv = v - v0;
        for (int dv = 0; dv <= 1; dv++) {
          int cy = Math.max(0, Math.min(g - 1, v0 + dv));
          double wv = dv == 0 ? 1 - fv : fv;
          for (int du = 0; du <= 1; du++) {
            int cx = Math.max(0, Math.min(g - 1, u0 + du));
            double w = wv * (du == 0 ? 1 - fu : fu) * magnitude;
            int cell = (cy * g + cx) * bins;
            hist[l][cell + binA] += w * (1 - fb);
            hist[l][cell + binB] += w * fb;
          }
        }
      }
    }
  }

  /** One level's histograms with each cell added to its mirror cell (orientations reflected), square-rooted. */
  private static float[] foldLevel(double[] hist, int g) {
    int bins = ORIENTATIONS;
    float[] level = new float[g * ((g + 1) / 2) * bins];
    int k = 0;
    for (int cy = 0; cy < g; cy++) {
      for (int cx = 0; cx < (g + 1) / 2; cx++) {
        int mirror = g - 1 - cx;
        for (int b = 0; b < bins; b++) {
          double v = hist[(cy * g + cx) * bins + b] + hist[(cy * g + mirror) * bins + (bins - 1 - b)];
          level[k++] = (float) Math.sqrt(v);
        }
      }
    }
    return level;
  }

  /** Cell means of luma as z-scores, folded: per row, each mirrored pair of cells as (a + b, |a - b|). */
  static float[] brightnessLayout(int[] rgb, int n) {
    int g = LAYOUT_GRID;
    float[] z = zScores(ImageScaling.luma(ImageScaling.resize(rgb, n, n, g, g)));
    float[] out = new float[LAYOUT_DIM];
    int k = 0;
    for (int cy = 0; cy < g; cy++) {
      for (int cx = 0; cx < (g + 1) / 2; cx++) {
        float a = z[cy * g + cx], b = z[cy * g + g - 1 - cx];
        out[k++] = a + b;
        out[k++] = Math.abs(a - b);
      }
    }
    return out;
  }

  /** Share of pixels with a reliable hue (saturated enough and not too dark). */
  static double colouredShare(int[] rgb) {
    int coloured = 0;
    for (int p : rgb) {
      int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
      int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
      if (max >= MIN_VALUE && max - min >= MIN_SATURATION * max) {
        coloured++;
      }
    }
    return (double) coloured / rgb.length;
  }

  /** Square roots of the shares of pixels per (saturation level, hue) bin; greys and near-blacks count nowhere. */
  private static final double SQRT3 = Math.sqrt(3);

  /**
   * The angle of (x, y), as {@link Math#atan2}, to within 1.7e-6 radians (a polynomial on [0, 1] and the
   * octant's symmetries, so mirrored gradients still get mirrored angles): the JDK's exact one took an
   * eighth of the indexing time, and the bins it feeds are a fraction of a radian wide. 0 for (0, 0).
   */
  static double atan2(double y, double x) {
    double ax = Math.abs(x), ay = Math.abs(y);
    double big = Math.max(ax, ay);
    if (big == 0) {
      return 0;
    }
    double a = Math.min(ax, ay) / big;
    double s = a * a;
    double r = a * (0.99997726 + s * (-0.33262347 + s * (0.19354346 + s * (-0.11643287 + s * (0.05265332
        + s * -0.01172120)))));
    if (ay > ax) {
      r = Math.PI / 2 - r;
    }
    if (x < 0) {
      r = Math.PI - r;
    }
    return y < 0 ? -r : r;
  }

  static float[] hues(int[] rgb) {
    double[] h = new double[HUE_DIM];
    for (int p : rgb) {
      int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
      int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
      double saturation = max == 0 ? 0 : (double) (max - min) / max;
      if (saturation < MIN_SATURATION || max < MIN_VALUE) {
        continue;
      }
      // hue as the angle in the opponent-colour plane: 0 = red, 2 pi / 3 = green, 4 pi / 3 = blue
      double hue = atan2(SQRT3 * (g - b), 2.0 * r - g - b);
      double t = (hue < 0 ? hue + 2 * Math.PI : hue) / (2 * Math.PI) * HUES - 0.5;
      int h0 = (int) Math.floor(t);
      double f = t - h0;
      int row = saturation < VIVID_SATURATION ? 0 : HUES;
      h[row + Math.floorMod(h0, HUES)] += 1 - f;
      h[row + Math.floorMod(h0 + 1, HUES)] += f;
    }
    float[] out = new float[HUE_DIM];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) Math.sqrt(h[i] / rgb.length);
    }
    return out;
  }

  /** Square roots of the shares of luma z-scores per bin over [-2, 2] (soft, ends clamped). */
  static float[] contrast(float[] luma) {
    float[] z = zScores(luma);
    int nb = CONTRAST_BINS;
    double[] h = new double[nb];
    for (float v : z) {
      double t = Math.max(0, Math.min(nb - 1, (v + 2) / 4 * (nb - 1)));
      int b0 = (int) Math.floor(t);
      double f = t - b0;
      h[b0] += 1 - f;
      if (b0 + 1 < nb) {
        h[b0 + 1] += f;
      }
    }
    float[] out = new float[nb];
    for (int i = 0; i < nb; i++) {
      out[i] = (float) Math.sqrt(h[i] / z.length);
    }
    return out;
  }

  /** (v - mean) / standard deviation; all zeros for a constant input. */
  static float[] zScores(float[] v) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double var = 0;
    for (float x : v) {
      var += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(var / v.length);
    float[] z = new float[v.length];
    if (sd > 1e-6) {
      for (int i = 0; i < v.length; i++) {
        z[i] = (float) ((v[i] - mean) / sd);
      }
    }
    return z;
  }
}
