package imgsearch.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import imgsearch.file.Sha256;
import imgsearch.model.ImagePreprocessing.Resize;
import java.awt.image.BufferedImage;
import java.util.HexFormat;
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
    int[] out = ImagePreprocessor.resizeWindow(row, 4, 1, 2, 1, 0, 0, 2, 1, Resampling.PILLOW_BILINEAR);
    assertArrayEquals(new int[] {grey(71), grey(209)}, out);

    int[] column = row.clone();
    int[] down = ImagePreprocessor.resizeWindow(column, 1, 4, 1, 2, 0, 0, 1, 2, Resampling.PILLOW_BILINEAR);
    assertArrayEquals(new int[] {grey(71), grey(209)}, down);

    int[] square = new int[16];
    for (int y = 0; y < 4; y++) {
      System.arraycopy(row, 0, square, 4 * y, 4);
    }
    int[] both = ImagePreprocessor.resizeWindow(square, 4, 4, 2, 2, 0, 0, 2, 2, Resampling.PILLOW_BILINEAR);
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
        Resampling.PILLOW_BICUBIC);
    assertArrayEquals(new int[] {grey(0), grey(41), grey(159), grey(218)}, out);
  }

  @Test
  void cubicAndTriangleWeights() {
    assertEquals(1.0, Resampling.PILLOW_BICUBIC.weight(0), 0);
    assertEquals(0.8671875, Resampling.PILLOW_BICUBIC.weight(0.25), 1e-12);
    assertEquals(-0.0703125, Resampling.PILLOW_BICUBIC.weight(-1.25), 1e-12);
    assertEquals(0.0, Resampling.PILLOW_BICUBIC.weight(2.0), 0);
    assertEquals(0.75, Resampling.PILLOW_BILINEAR.weight(0.25), 1e-12);
    assertEquals(0.0, Resampling.PILLOW_BILINEAR.weight(1.5), 0);
  }

  @Test
  void longSideIsTruncatedLikeTorchvision() {
    Resize shorter = Resize.SHORTER_SIDE;
    assertArrayEquals(new int[] {298, 224}, shorter.resizedSize(640, 480, 224)); // 298.67
    assertArrayEquals(new int[] {224, 298}, shorter.resizedSize(480, 640, 224));
    assertArrayEquals(new int[] {224, 224}, shorter.resizedSize(1000, 1000, 224));
    assertArrayEquals(new int[] {341, 256}, shorter.resizedSize(800, 600, 256)); // 341.33
  }

  @Test
  void bothSidesIgnoresTheAspectRatioLikeMxnet() {
    assertArrayEquals(new int[] {256, 256}, Resize.BOTH_SIDES.resizedSize(640, 480, 256));
    assertArrayEquals(new int[] {256, 256}, Resize.BOTH_SIDES.resizedSize(100, 3000, 256));
  }

  @Test
  void centreCropOffsetRoundsLikeEachLibrary() {
    Resize torchvision = Resize.SHORTER_SIDE;
    assertEquals(0, torchvision.cropOffset(225, 224)); // 0.5 -> 0
    assertEquals(1, torchvision.cropOffset(226, 224)); // 1.0
    assertEquals(2, torchvision.cropOffset(227, 224)); // 1.5 -> 2
    assertEquals(37, torchvision.cropOffset(298, 224));
    Resize mxnet = Resize.BOTH_SIDES; // int((side - crop) / 2)
    assertEquals(1, mxnet.cropOffset(227, 224));
    assertEquals(16, mxnet.cropOffset(256, 224));
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
    ImagePreprocessing rule = new ImagePreprocessing(Resize.SHORTER_SIDE, 2, 2, Resampling.PILLOW_BICUBIC,
        ImagePreprocessing.CLIP_MEAN, ImagePreprocessing.CLIP_STD);
    float[] t = ImagePreprocessor.toTensor(image, rule);
    float[] expected = {
        1.9303361f, -1.7922626f, 1.9303361f, -1.7922626f, // R: red, green, white, black
        -1.7520971f, 2.0748837f, 2.0748837f, -1.7520971f, // G
        -1.4802198f, -1.4802198f, 2.145897f, -1.4802198f}; // B
    assertArrayEquals(expected, t, 1e-6f);

    ImagePreprocessing shifted = new ImagePreprocessing(Resize.SHORTER_SIDE, 2, 1, Resampling.PILLOW_BICUBIC,
        ImagePreprocessing.CLIP_MEAN, ImagePreprocessing.CLIP_STD);
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

  /**
   * OpenCV's {@code cv2.resize(src, (w, h), interpolation=cv2.INTER_LINEAR)}, OpenCV 4.6.0 (Debian
   * {@code python3-opencv}), on {@link #pattern} images. The first two cases are its full output (RGB
   * bytes, row by row, in hex); the larger ones the SHA-256 of that output. Generated with
   * {@code src[y, x] = ((x*37 + y*11) & 255, (x*x + 3*y*y) & 255, (x*y*7 + 13) & 255)} in NumPy.
   */
  @Test
  void opencvBilinearMatchesOpenCv() throws Exception {
    assertEquals("270412830e24e024353c4747997758b5b36a523b7bae508d4bb29e6720b0c49ac12021d37db5e4d955f636410792ba1948"
        + "3122a43b684151ae5d74b4baa43a16e0807328c6cf7d0c2cdf52884d98e5c7de414e249ee26aba82b0576ef6b3a73c699432c59e"
        + "ac22b4277ed7a1db475c374396948b51b0e08b4d4246a9b080462a3b62b175bf45f01ba56a7891e5d44a5f8a2d42a637b1434da09"
        + "f704f3ca03e58dcadb5245c1179cb6edbbaca496927c358834ac7e0de763c7e25996ad4b5a383abfc51c70635641c58c03fbc1d6f"
        + "df79ab83d6f3a632488a8faa6dab1851489274a4191841ad3b5d4d9fba39c216b2a6cc0161280b79852191e144a93e74c19ab09937"
        + "3831534dc9b0af610c1d39699791c51e6922b2817e5299db3eb137b789ed3c7149467da65c4ac27f565fafa3bbebaf58337c74888"
        + "8d1ead52d58218ad26ea6597a43ed479f8d533c39a058b2ac4ead816ab7c2c7cd8323f0c4802085dc5cc639a48795b9c8f25b894e"
        + "c9caab438bc7cacc645e8dc0bece1daa8f7963d0", HexFormat.of().formatHex(opencvResize(40, 24, 16, 8)),
        "shrink 40x24 -> 16x8");
    assertEquals("00000d00000d0a000d16000d21010d2d020d39020d44030d50050d5b060d67080d72090d7e0c0d890e0d94100d94100d00"
        + "000d00000d0a000d16010d22010d2d020d39030d44040d50050d5b060d67080d720a0d7e0c0d8a0e0d94100d94100d04010d0401"
        + "0d0e010d19010e25020f3103103c03104804115306125f07136a0913760a14820d158d0f1698111698111607020d07020d12020e1d"
        + "02102903113404134004144c05165707176208186e0a1a7a0b1b850e1d91101e9b12209b12200b030d0b030d15030f2104112d041"
        + "33805164406184f071a5b081c66091e720b207d0d23890f259511279f13299f13290f060d0f060d19060f2406123007153c08184708"
        + "1b53091e5e0b216a0c24750e27810f2a8d122d981430a21632a2163212090d12090d1d0910280914340a173f0b1b4b0b1f560c2262"
        + "0e266e0f2a79112d8512319015359c1738a6193ba6193b160c0d160c0d200c112c0d15380d1a430e1e4f0f225a102766112b711230"
        + "7d143488163894183da01a41aa1c45aa1c45160c0d160c0d200c112c0c15380d1a430e1e4e0e225a0f2766112b71122f7d1434881"
        + "53894183c9f1a41aa1c45aa1c45", HexFormat.of().formatHex(opencvResize(5, 3, 16, 9)), "enlarge 5x3 -> 16x9");
    assertEquals("7726a31990cb7ac6fb59d850f46ac27fdb92a75ba0c31949c73da3b9714defa5",
        sha256(opencvResize(300, 200, 256, 256)), "300x200 -> 256x256");
    assertEquals("d043d135cb500e43e11c396544649eaf8849f699bb040d55c9e81f371e339f11",
        sha256(opencvResize(97, 61, 256, 256)), "97x61 -> 256x256");
  }

  @Test
  void resnetRuleIsTheModelZoosValidation() {
    ImagePreprocessing rule = ModelCatalog.resnet50v1().image().preprocessing();
    assertEquals(new ImagePreprocessing(Resize.BOTH_SIDES, 256, 224, Resampling.OPENCV_BILINEAR,
        ImagePreprocessing.IMAGENET_MEAN, ImagePreprocessing.IMAGENET_STD), rule);
    // A 300x200 image: resized to 256x256 (not 384x256), then the centre 224x224 from (16, 16).
    BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 300, 200, pattern(300, 200), 0, 300);
    int[] full = ImagePreprocessor.resizeWindow(pattern(300, 200), 300, 200, 256, 256, 0, 0, 256, 256,
        Resampling.OPENCV_BILINEAR);
    float[] t = ImagePreprocessor.toTensor(image, rule);
    int p = full[(16 + 5) * 256 + 16 + 7]; // tensor pixel (x 7, y 5)
    assertEquals((((p >> 16) & 0xff) / 255f - 0.485f) / 0.229f, t[5 * 224 + 7], 1e-6f);
    assertEquals(((p & 0xff) / 255f - 0.406f) / 0.225f, t[2 * 224 * 224 + 5 * 224 + 7], 1e-6f);
  }

  private static byte[] opencvResize(int w, int h, int dw, int dh) {
    int[] out = ImagePreprocessor.resizeWindow(pattern(w, h), w, h, dw, dh, 0, 0, dw, dh, Resampling.OPENCV_BILINEAR);
    byte[] bytes = new byte[out.length * 3];
    for (int i = 0; i < out.length; i++) {
      bytes[3 * i] = (byte) (out[i] >> 16);
      bytes[3 * i + 1] = (byte) (out[i] >> 8);
      bytes[3 * i + 2] = (byte) out[i];
    }
    return bytes;
  }

  private static int[] pattern(int w, int h) {
    int[] p = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[y * w + x] = ((x * 37 + y * 11) & 255) << 16 | ((x * x + 3 * y * y) & 255) << 8 | ((x * y * 7 + 13) & 255);
      }
    }
    return p;
  }

  private static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }

  private static int grey(int v) {
    return v << 16 | v << 8 | v;
  }
}
