package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.eval.NearDuplicateSet;
import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeColourDescriptorTest {

  private final EdgeColourDescriptor d = new EdgeColourDescriptor();
  private static final BufferedImage SCENE = NearDuplicateSet.scene(42, 42);
  private static final BufferedImage OTHER_SCENE = NearDuplicateSet.scene(43, 43);

  private static final int EDGES = 0;
  private static final int LAYOUT = EdgeColourDescriptor.EDGE_DIM;
  private static final int HUES = LAYOUT + EdgeColourDescriptor.LAYOUT_DIM;
  private static final int CONTRAST = HUES + EdgeColourDescriptor.HUE_DIM;

  @Test
  void specAndConfig() {
    assertEquals("edge-colour", d.name());
    assertEquals(144, d.dimension());
    assertEquals(88, EdgeColourDescriptor.EDGE_DIM); // 1x1x8 + 2x1x8 + 4x2x8 after folding
    assertEquals(16, EdgeColourDescriptor.LAYOUT_DIM);
    assertEquals(32, EdgeColourDescriptor.HUE_DIM);
    assertEquals(List.of(Metric.DOT), d.metrics());
    assertEquals(3, d.version());
    assertEquals("", EdgeColourDescriptor.fromConfig(" ").config());
    assertThrows(IllegalArgumentException.class, () -> EdgeColourDescriptor.fromConfig("size=3"));
  }

  @Test
  void colourVectorsAreUnitLengthAndDeterministic() {
    float[] v = d.describe(SCENE);
    assertEquals(144, v.length);
    assertEquals(1.0, Math.sqrt(Metric.DOT.score(v, v)), 1e-5);
    assertArrayEquals(v, d.describe(SCENE));
    // a flat grey image has no edges, layout or hues, but its contrast histogram keeps it non-zero
    int[] grey = new int[50 * 40];
    Arrays.fill(grey, 0x777777);
    float[] flat = d.describe(ImageScaling.fromRgb(grey, 50, 40));
    assertTrue(Metric.DOT.score(flat, flat) > 0);
  }

  @Test
  void greyImagesKeepTheirOtherPartsUnscaled() {
    // Luma is all a grey copy keeps, and all the edge, layout and contrast parts look at: those parts are
    // the colour image's, not stretched to fill the missing hue part. So a grey query scores every
    // candidate on the parts it has, with the same weights, and a grey candidate gains nothing by being grey.
    float[] colour = d.describe(SCENE);
    float[] grey = d.describe(ImageScaling.toGrey(SCENE));
    for (int i = 0; i < colour.length; i++) {
      if (i < HUES || i >= CONTRAST) {
        assertEquals(colour[i], grey[i], 0.02, "component " + i);
      }
    }
    double hueWeight = 1.0 / 2.5; // weights 1, 0.2, 1, 0.3: the hue part's share of the squared norm
    assertEquals(1 - hueWeight, Metric.DOT.score(grey, grey), 0.01);
  }

  @Test
  void greyQueryFindsItsColourOriginalAmongGreyLookAlikes() {
    // Originals in colour, distractors in grey (same kinds and palettes: the generated set's siblings):
    // under cosine (edge-colour v1) the grey copies' missing hue part made every grey distractor look closer.
    NearDuplicateSet set = NearDuplicateSet.generate(3, 20, 60);
    List<float[]> db = new java.util.ArrayList<>();
    for (NearDuplicateSet.Entry e : set.database()) {
      db.add(d.describe(e.id().startsWith("scene") ? e.image() : ImageScaling.toGrey(e.image())));
    }
    int found = 0, queries = 0, cosineFound = 0;
    for (NearDuplicateSet.Query q : set.queries()) {
      if (q.transformation() != NearDuplicateSet.Transformation.GREY) {
        continue;
      }
      queries++;
      float[] v = d.describe(q.image());
      int original = Integer.parseInt(q.originalId().substring("scene-".length()));
      found += best(Metric.DOT, v, db) == original ? 1 : 0;
      cosineFound += best(Metric.COSINE, v, db) == original ? 1 : 0;
    }
    assertEquals(queries, found, "grey queries whose original comes first");
    assertTrue(cosineFound < found, "cosine favours grey distractors: " + cosineFound + " of " + queries);
  }

  private static int best(Metric m, float[] query, List<float[]> db) {
    int best = -1;
    double bestScore = 0;
    for (int i = 0; i < db.size(); i++) {
      double s = m.score(query, db.get(i));
      if (best < 0 || m.better(s, bestScore)) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  @Test
  void letterboxBordersAreCutAway() {
    // the scene centred on a near-black square, as a square post shows a landscape photo
    int w = SCENE.getWidth(), h = SCENE.getHeight(), side = Math.max(w, h);
    int[] padded = new int[side * side];
    Arrays.fill(padded, 0x101010);
    int[] px = ImageScaling.rgb(SCENE);
    int top = (side - h) / 2, left = (side - w) / 2;
    for (int y = 0; y < h; y++) {
      System.arraycopy(px, y * w, padded, (top + y) * side + left, w);
    }
    float[] v = d.describe(SCENE);
    double cut = Metric.DOT.score(v, d.describe(ImageScaling.fromRgb(padded, side, side)));
    double kept = Metric.DOT.score(v, new EdgeColourDescriptor(new EdgeColourDescriptor.Tuning(
        EdgeColourDescriptor.Weights.TUNED, false)).describe(ImageScaling.fromRgb(padded, side, side)));
    assertTrue(cut > 0.97, "padded copy with borders cut: " + cut);
    assertTrue(cut > kept, "cut " + cut + " vs kept " + kept);
  }

  @Test
  void mirrorImageGivesTheSameVector() {
    float[] v = d.describe(SCENE);
    float[] flipped = d.describe(ImageScaling.flipHorizontally(SCENE));
    for (int i = 0; i < v.length; i++) {
      assertEquals(v[i], flipped[i], 1e-5, "component " + i);
    }
  }

  @Test
  void brightnessAndGreyMoveTheVectorLittle() {
    float[] v = d.describe(SCENE);
    float[] other = d.describe(OTHER_SCENE);
    double unrelated = Metric.L2.score(v, other);
    double darker = Metric.L2.score(v, d.describe(scale(SCENE, 0.7)));
    double brighter = Metric.L2.score(v, d.describe(scale(SCENE, 1.2)));
    // (L2 between colour vectors, all unit length: 2 - 2 cos)
    assertTrue(darker < 0.05 && darker < unrelated / 10, "darker " + darker + " vs unrelated " + unrelated);
    assertTrue(brighter < unrelated / 5, "brighter " + brighter + " vs unrelated " + unrelated);
    float[] grey = d.describe(ImageScaling.toGrey(SCENE));
    // asked with the grey copy, the original scores higher than another scene
    assertTrue(Metric.DOT.score(grey, v) > Metric.DOT.score(grey, other), "original closer than another scene");
  }

  @Test
  void greyImagesHaveNoHuePart() {
    float[] grey = d.describe(ImageScaling.toGrey(SCENE));
    for (int i = HUES; i < CONTRAST; i++) {
      assertEquals(0f, grey[i], "hue component " + i);
    }
  }

  @Test
  void verticalEdgeFillsTheHorizontalGradientBins() {
    // left half black, right half white: gradients point along +x, orientation 0, which sits between
    // the bins centred on -pi/16 (bin 7) and +pi/16 (bin 0), half each
    int w = 64, h = 64;
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = i % w < w / 2 ? 0 : 0xFFFFFF;
    }
    float[] e = EdgeColourDescriptor.edges(ImageScaling.luma(px), w);
    // the 1 x 1 level: 8 values, L2-normalised, square roots of equal halves
    float half = (float) Math.sqrt(0.5);
    assertArrayEquals(new float[] {half, 0, 0, 0, 0, 0, 0, half}, Arrays.copyOfRange(e, 0, 8), 1e-6f);
    // a horizontal edge (top black, bottom white): orientation pi/2, between bins 3 and 4
    for (int i = 0; i < px.length; i++) {
      px[i] = i / w < h / 2 ? 0 : 0xFFFFFF;
    }
    e = EdgeColourDescriptor.edges(ImageScaling.luma(px), w);
    assertArrayEquals(new float[] {0, 0, 0, half, half, 0, 0, 0}, Arrays.copyOfRange(e, 0, 8), 1e-6f);
  }

  @Test
  void hueHistogramByHand() {
    // 3 pixels: pure red (hue 0, vivid), a pale green (130, 200, 130) (hue 120, saturation 0.35, muted)
    // and a grey that counts nowhere
    float[] h = EdgeColourDescriptor.hues(new int[] {0xFF0000, 0x82C882, 0x808080});
    // hue 0 lies between the bins centred on -11.25 and +11.25 degrees: 1/2 each of 1/3 of the pixels
    double half = Math.sqrt(0.5 / 3);
    // (to 1e-5: hues come from an atan2 accurate to 1.7e-6 radians)
    assertEquals(half, h[16 + 0], 1e-5);
    assertEquals(half, h[16 + 15], 1e-5);
    // hue 120 = 16 * 120 / 360 - 0.5 = 4.83: bins 4 and 5 get 0.17 and 0.83 of 1/3
    assertEquals(Math.sqrt((1 - 5.0 / 6) / 3), h[4], 1e-5);
    assertEquals(Math.sqrt(5.0 / 6 / 3), h[5], 1e-5);
    double sumOfShares = 0;
    for (float x : h) {
      sumOfShares += x * x;
    }
    assertEquals(2.0 / 3, sumOfShares, 1e-6, "the grey pixel is left out");
  }

  @Test
  void atan2IsWithinItsBoundAndMirrorsExactly() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 100_000; i++) {
      double y = random.nextGaussian() * 300, x = random.nextGaussian() * 300;
      assertEquals(Math.atan2(y, x), EdgeColourDescriptor.atan2(y, x), 1.7e-6, y + ", " + x);
      // a mirrored gradient (-x) gets the mirrored angle: pi - theta, or -pi - theta below the axis
      double mirrored = (y < 0 ? -Math.PI : Math.PI) - EdgeColourDescriptor.atan2(y, x);
      assertEquals(mirrored, EdgeColourDescriptor.atan2(y, -x), 1e-15);
    }
    assertEquals(0, EdgeColourDescriptor.atan2(0, 0));
    assertEquals(Math.PI / 2, EdgeColourDescriptor.atan2(5, 0), 1e-15);
    assertEquals(Math.PI, EdgeColourDescriptor.atan2(0, -5), 1e-15);
    assertEquals(-Math.PI / 4, EdgeColourDescriptor.atan2(-3, 3), 1.7e-6);
  }

  @Test
  void contrastHistogramIsBrightnessInvariant() {
    float[] luma = {10, 20, 30, 40};
    float[] brighter = {20, 40, 60, 80};
    assertArrayEquals(EdgeColourDescriptor.contrast(luma), EdgeColourDescriptor.contrast(brighter), 1e-6f);
    // z-scores of 1,2,3,4 are +-0.447 and +-1.342: all inside [-2, 2], shares sum to 1
    double sum = 0;
    for (float x : EdgeColourDescriptor.contrast(luma)) {
      sum += x * x;
    }
    assertEquals(1.0, sum, 1e-6);
  }

  private static BufferedImage scale(BufferedImage img, double factor) {
    int[] px = ImageScaling.rgb(img);
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      int r = Math.min(255, (int) Math.round(((p >> 16) & 0xFF) * factor));
      int g = Math.min(255, (int) Math.round(((p >> 8) & 0xFF) * factor));
      int b = Math.min(255, (int) Math.round((p & 0xFF) * factor));
      px[i] = (r << 16) | (g << 8) | b;
    }
    return ImageScaling.fromRgb(px, img.getWidth(), img.getHeight());
  }
}
