package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  /**
   * Shrinking [0, 100, 200, 255] to 2 pixels with Pillow's antialiased triangle filter: scale 2, so the
   * support is 2 source pixels and weights are 1 - |d| / 2 at distances d from the output centre.
   * Output 0 (centre 1.0) reads pixels 0..2 at d = -0.5, 0.5, 1.5: weights .75 .75 .25, normalised
   * 3/7 3/7 1/7, giving 0*3/7 + 100*3/7 + 200/7 = 71.4 -> 71. Output 1 (centre 3.0) reads pixels 1..3 at
   * d = -1.5, -0.5, 0.5: 1/7 3/7 3/7, giving 100/7 + 600/7 + 765/7 = 209.3 -> 209.
   */
  @Test
  void bilinearShrinkMatchesPillowArithmetic() {
    int[] row = {grey(0), grey(100), grey(200), grey(255)};
    int[] out = ImagePreprocessor.resizeWindow(row, 4, 1, 2, 1, 0, 0, 2, 1, Resampling.BILINEAR);
    assertArrayEquals(new int[] {grey(71), grey(209)}, out);

    int[] column = row.clone();
    int[] down = ImagePreprocessor.resizeWindow(column, 1, 4, 1, 2, 0, 0, 1, 2, Resampling.BILINEAR);
    assertArrayEquals(new int[] {grey(71), grey(209)}, down);

    int[] square = new int[16];
    for (int y = 0; y < 4; y++) {
      System.arraycopy(row, 0, square, 4 * y, 4);
    }
    int[] both = ImagePreprocessor.resizeWindow(square, 4, 4, 2, 2, 0, 0, 2, 2, Resampling.BILINEAR);
    assertArrayEquals(new int[] {grey(71), grey(209), grey(71), grey(209)}, both);
  }

  /**
   * Enlarging [0, 200] to 4 pixels with Keys' cubic (a = -0.5): scale 0.5, support 2. Output 0 (centre
   * 0.25) reads pixels 0 and 1 at distances 0.25 and 1.25: f = 0.8671875 and -0.0703125, normalised
   * 1.088 and -0.088, so 200 * -0.088 = -17.6 clips to 0. Output 1 (centre 0.75): f(0.25) = 0.8671875 and
   * f(0.75) = 0.2265625, normalised 0.793 and 0.207: 41.4 -> 41. Output 2 mirrors it: 158.6 -> 159.
   * Output 3 (centre 1.75): weights -0.088 and 1.088: 217.6 -> 218, above the input's maximum.
   */
  @Test
  void bicubicEnlargeKeepsPillowOvershootAndClipping() {
    int[] out = ImagePreprocessor.resizeWindow(new int[] {grey(0), grey(200)}, 2, 1, 4, 1, 0, 0, 4, 1,
        Resampling.BICUBIC);
    assertArrayEquals(new int[] {grey(0), grey(41), grey(159), grey(218)}, out);
  }

  @Test
  void cubicAndTriangleWeights() {
    assertEquals(1.0, Resampling.BICUBIC.weight(0), 0);
    assertEquals(0.8671875, Resampling.BICUBIC.weight(0.25), 1e-12);
    assertEquals(-0.0703125, Resampling.BICUBIC.weight(-1.25), 1e-12);
    assertEquals(0.0, Resampling.BICUBIC.weight(2.0), 0);
    assertEquals(0.75, Resampling.BILINEAR.weight(0.25), 1e-12);
    assertEquals(0.0, Resampling.BILINEAR.weight(1.5), 0);
  }

  @Test
  void longSideIsTruncatedLikeTorchvision() {
    assertArrayEquals(new int[] {298, 224}, ImagePreprocessor.resizedSize(640, 480, 224)); // 298.67
    assertArrayEquals(new int[] {224, 298}, ImagePreprocessor.resizedSize(480, 640, 224));
    assertArrayEquals(new int[] {224, 224}, ImagePreprocessor.resizedSize(1000, 1000, 224));
    assertArrayEquals(new int[] {341, 256}, ImagePreprocessor.resizedSize(800, 600, 256)); // 341.33
  }

  @Test
  void centreCropOffsetRoundsHalfToEven() {
    assertEquals(0, ImagePreprocessor.centreCropOffset(225, 224)); // 0.5 -> 0
    assertEquals(1, ImagePreprocessor.centreCropOffset(226, 224)); // 1.0
    assertEquals(2, ImagePreprocessor.centreCropOffset(227, 224)); // 1.5 -> 2
    assertEquals(37, ImagePreprocessor.centreCropOffset(298, 224));
  }

  /**
   * A 3x2 image under a rule that keeps its size (shorter side 2) and crops 2x2: the crop's left
   * offset is round((3 - 2) / 2) = round(0.5) = 0, so columns 0 and 1 remain. Each value is
   * (v / 255 - mean) / std with CLIP's statistics: for red, (1 - 0.48145466) / 0.26862954 = 1.9303361
   * and (0 - 0.48145466) / 0.26862954 = -1.7922626; 128 gives (0.5019608 - 0.48145466) / 0.26862954 =
   * 0.0763361 in red.
   */
  @Test
  void tensorOfASmallImageIsChannelFirstAndNormalised() {
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xff0000);
    image.setRGB(1, 0, 0x00ff00);
    image.setRGB(2, 0, 0x0000ff);
    image.setRGB(0, 1, 0xffffff);
    image.setRGB(1, 1, 0x000000);
    image.setRGB(2, 1, 0x808080);
    ImagePreprocessing rule = new ImagePreprocessing(2, 2, Resampling.BICUBIC, ImagePreprocessing.CLIP_MEAN,
        ImagePreprocessing.CLIP_STD);
    float[] t = ImagePreprocessor.toTensor(image, rule);
    float[] expected = {
        1.9303361f, -1.7922626f, 1.9303361f, -1.7922626f, // R: red, green, white, black
        -1.7520971f, 2.0748837f, 2.0748837f, -1.7520971f, // G
        -1.4802198f, -1.4802198f, 2.145897f, -1.4802198f}; // B
    assertArrayEquals(expected, t, 1e-6f);

    ImagePreprocessing shifted = new ImagePreprocessing(2, 1, Resampling.BICUBIC, ImagePreprocessing.CLIP_MEAN,
        ImagePreprocessing.CLIP_STD);
    BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    grey.setRGB(1, 0, 0x808080); // 3x2 -> crop 1x1 at (round(1.0), round(0.5)) = (1, 0)
    assertArrayEquals(new float[] {0.0763361f, 0.1688973f, 0.3399488f}, ImagePreprocessor.toTensor(grey, shifted),
        1e-6f);
  }

  @Test
  void windowIsTheSameAsCroppingTheFullResize() {
    Random random = new Random(7);
    int w = 37;
    int h = 23;
    int[] src = new int[w * h];
    for (int i = 0; i < src.length; i++) {
      src[i] = random.nextInt(1 << 24);
    }
    for (Resampling filter : Resampling.values()) {
      int[] full = ImagePreprocessor.resizeWindow(src, w, h, 50, 17, 0, 0, 50, 17, filter);
      int[] window = ImagePreprocessor.resizeWindow(src, w, h, 50, 17, 11, 4, 20, 9, filter);
      for (int y = 0; y < 9; y++) {
        for (int x = 0; x < 20; x++) {
          assertEquals(full[(y + 4) * 50 + x + 11], window[y * 20 + x], filter + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void otherImageTypesGiveTheSameTensor() {
    BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    BufferedImage bgr = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
    Random random = new Random(3);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        int p = random.nextInt(1 << 24);
        rgb.setRGB(x, y, p);
        bgr.setRGB(x, y, p);
      }
    }
    ImagePreprocessing rule = ModelCatalog.clipVitB32().image().preprocessing();
    assertArrayEquals(ImagePreprocessor.toTensor(rgb, rule), ImagePreprocessor.toTensor(bgr, rule));
    assertEquals(3 * 224 * 224, ImagePreprocessor.toTensor(rgb, rule).length);
  }

  private static int grey(int v) {
    return v << 16 | v << 8 | v;
  }
}
