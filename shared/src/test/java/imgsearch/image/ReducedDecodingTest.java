package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imgsearch.image.ImageDecodeException.Reason;
import imgsearch.testing.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding at 1/2, 1/4 or 1/8 of the size, through libjpeg-turbo (where installed) and through ImageIO:
 * both give the same size, nearly the same pixels, the full size, the orientation, the limits and the
 * failures of a full decode. Every test runs on both paths where the machine has both, so the verdicts
 * are the same on every machine.
 */
class ReducedDecodingTest {

  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final int WHITE = 0xFFFFFF;

  /** The decoders this machine has: ImageIO always, libjpeg-turbo where installed. */
  static Stream<ImageDecoder> decoders() {
    ImageDecoder here = new ImageDecoder();
    return here.usesTurboJpeg() ? Stream.of(here, here.withoutTurboJpeg()) : Stream.of(here);
  }

  @Test
  void theReductionKeepsTheShorterSideAtLeastAsLongAsAsked() {
    assertEquals(2, ImageDecoder.reduction(1000, 600, 224)); // 300; a quarter would be 150
    assertEquals(4, ImageDecoder.reduction(2000, 1500, 224)); // 375
    assertEquals(8, ImageDecoder.reduction(1024, 768, 64)); // 96
    assertEquals(8, ImageDecoder.reduction(1000, 449, 57)); // 449 / 8 rounded up is 57
    assertEquals(1, ImageDecoder.reduction(300, 200, 224)); // already smaller: never enlarged
    assertEquals(1, ImageDecoder.reduction(6000, 4000, ImageDecoder.FULL_SIZE));
    assertEquals(8, ImageDecoder.reduction(6000, 4000, 1));
  }

  @Test
  void libjpegTurboIsUsedWhereItIsInstalled() {
    boolean installed = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")
        .anyMatch(dir -> Files.exists(Path.of(dir, "libturbojpeg.so.0")));
    boolean turnedOff = "false".equalsIgnoreCase(System.getProperty("imgsearch.turbojpeg"));
    ImageDecoder decoder = new ImageDecoder();
    System.out.println("ReducedDecodingTest: JPEG decoder " + decoder.jpegDecoder());
    // A binding that silently failed to load would make every index slow without anyone noticing.
    assertEquals(installed && !turnedOff, decoder.usesTurboJpeg(), decoder.jpegDecoder());
    assertFalse(decoder.withoutTurboJpeg().usesTurboJpeg());
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void aReducedJpegHasTheReducedSizeAndRecordsTheFullSize(ImageDecoder decoder) throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(1, 1001, 601), 0.9f);
    DecodedImage half = decoder.decode(jpeg, 224);
    assertEquals(501, half.image().getWidth()); // sides rounded up, as libjpeg-turbo scales
    assertEquals(301, half.image().getHeight());
    assertEquals(1001, half.width());
    assertEquals(601, half.height());
    assertTrue(half.reduced());
    assertEquals(BufferedImage.TYPE_INT_RGB, half.image().getType());
    DecodedImage eighth = decoder.decode(jpeg, 60);
    assertEquals(126, eighth.image().getWidth());
    assertEquals(76, eighth.image().getHeight());
    DecodedImage full = decoder.decode(jpeg, ImageDecoder.FULL_SIZE);
    assertFalse(full.reduced());
    assertEquals(1001, full.image().getWidth());
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void aReducedImageHoldsTheBlockMeansOfTheFullImage(ImageDecoder decoder) throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(2, 800, 600), 0.9f);
    BufferedImage full = decoder.decode(jpeg).image();
    for (int divisor : new int[] {2, 4, 8}) {
      BufferedImage reduced = decoder.decode(jpeg, 600 / divisor).image();
      double difference = meanDifference(ImageScaling.reduce(full, divisor), reduced);
      // ImageIO reduces exactly so; libjpeg-turbo's DCT scaling comes within a level or two
      assertTrue(difference < 2.0, "1/" + divisor + ": mean difference " + difference);
      if (!decoder.usesTurboJpeg()) {
        assertEquals(0.0, difference, "1/" + divisor);
      }
    }
  }

  @Test
  void bothDecodersGiveNearlyTheSamePixels() throws Exception {
    ImageDecoder turbo = new ImageDecoder();
    assumeTrue(turbo.usesTurboJpeg(), "libturbojpeg0 is not installed");
    List<byte[]> jpegs = new ArrayList<>();
    jpegs.add(TestImages.jpeg(TestImages.photoLike(3, 640, 480), 0.9f));
    jpegs.add(TestImages.progressiveJpeg(TestImages.photoLike(4, 480, 640), 0.8f));
    jpegs.add(TestImages.jpeg(TestImages.grey(TestImages.photoLike(5, 300, 200)), 0.9f));
    for (byte[] jpeg : jpegs) {
      for (int side : new int[] {ImageDecoder.FULL_SIZE, 224, 64}) {
        BufferedImage a = turbo.decode(jpeg, side).image();
        BufferedImage b = turbo.withoutTurboJpeg().decode(jpeg, side).image();
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        double difference = meanDifference(a, b);
        assertTrue(difference < 2.0, "side " + side + ": mean difference " + difference);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void theOrientationIsAppliedToTheReducedImage(ImageDecoder decoder) throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.jpegWithOrientation(TestImages.cornerMarked(400, 200), 6), 50);
    assertEquals(50, decoded.image().getWidth());
    assertEquals(100, decoded.image().getHeight());
    assertEquals(200, decoded.width());
    assertEquals(400, decoded.height());
    // the stored top-left corner is shown top right
    assertColour(decoded.image(), 48, 1, RED, 60);
    assertColour(decoded.image(), 1, 1, BLUE, 60);
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void limitsApplyToTheFullSize(ImageDecoder plain) throws Exception {
    ImageDecoder small = new ImageDecoder(new ImageLimits(1 << 20, 10_000));
    ImageDecoder decoder = plain.usesTurboJpeg() ? small : small.withoutTurboJpeg();
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(6, 200, 100), 0.9f);
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(jpeg, 10));
    assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    assertTrue(e.getMessage().contains("200 x 100"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void truncatedAndDamagedJpegsFailAsAtFullSize(ImageDecoder decoder) throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(7, 640, 480), 0.9f);
    for (byte[] cut : List.of(TestImages.truncated(jpeg, jpeg.length / 2), TestImages.truncated(jpeg, 40),
        TestImages.truncated(jpeg, jpeg.length - 2))) {
      ImageDecodeException full = assertThrows(ImageDecodeException.class, () -> decoder.decode(cut));
      ImageDecodeException reduced = assertThrows(ImageDecodeException.class, () -> decoder.decode(cut, 64));
      assertEquals(Reason.TRUNCATED, full.reason());
      assertEquals(full.reason(), reduced.reason());
      assertEquals(full.getMessage(), reduced.getMessage());
    }
    byte[] progressive = TestImages.progressiveJpeg(TestImages.photoLike(8, 640, 480), 0.9f);
    ImageDecodeException e = assertThrows(ImageDecodeException.class,
        () -> decoder.decode(TestImages.truncated(progressive, progressive.length * 2 / 3), 64));
    assertEquals(Reason.TRUNCATED, e.reason());
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void cmykAndIccJpegsAreConvertedAtReducedSize(ImageDecoder decoder) throws Exception {
    DecodedImage cmyk = decoder.decode(TestImages.cmykJpeg(), 24);
    assertEquals(32, cmyk.image().getWidth());
    assertEquals(64, cmyk.width());
    assertColour(cmyk.image(), 4, 3, RED, 70);
    assertColour(cmyk.image(), 28, 3, GREEN, 70);
    assertColour(cmyk.image(), 4, 21, BLUE, 70);
    assertColour(cmyk.image(), 28, 21, WHITE, 40);
    // 50% in linear light is about 188 in sRGB: proof that the embedded profile was applied
    ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
    DecodedImage icc = decoder.decode(TestImages.jpegWithIccProfile(TestImages.solid(64, 64, 0x808080), linear), 16);
    assertEquals(16, icc.image().getWidth());
    assertColour(icc.image(), 8, 8, 0xBCBCBC, 6);
    // an sRGB profile changes nothing
    ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
    DecodedImage plain = decoder.decode(TestImages.jpegWithIccProfile(TestImages.solid(64, 64, 0x808080), srgb), 16);
    assertColour(plain.image(), 8, 8, 0x808080, 3);
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void otherFormatsAreReducedByBlockMeans(ImageDecoder decoder) throws Exception {
    BufferedImage original = TestImages.photoLike(9, 333, 250);
    DecodedImage png = decoder.decode(TestImages.png(original), 60);
    assertEquals(ImageScaling.rgb(ImageScaling.reduce(original, 4)).length, ImageScaling.rgb(png.image()).length);
    assertEquals(0.0, meanDifference(ImageScaling.reduce(original, 4), png.image()));
    assertEquals(333, png.width());
    DecodedImage webp = decoder.decode(TestImages.webp(), 24);
    assertEquals(32, webp.image().getWidth());
    assertEquals(64, webp.width());
  }

  @Test
  void blockMeansRoundAndClipTheEdges() {
    BufferedImage image = ImageScaling.fromRgb(new int[] {
        0x000000, 0x020202, 0x0A0A0A,
        0x040404, 0x060606, 0x0B0B0B}, 3, 2);
    BufferedImage reduced = ImageScaling.reduce(image, 2);
    assertEquals(2, reduced.getWidth());
    assertEquals(1, reduced.getHeight());
    assertEquals(0x030303, reduced.getRGB(0, 0) & 0xFFFFFF); // (0 + 2 + 4 + 6) / 4
    assertEquals(0x0B0B0B, reduced.getRGB(1, 0) & 0xFFFFFF); // (10 + 11) / 2 = 10.5, rounded up
    assertThrows(IllegalArgumentException.class, () -> ImageScaling.reduce(image, 3));
  }

  private static double meanDifference(BufferedImage a, BufferedImage b) {
    int[] x = ImageScaling.rgb(a), y = ImageScaling.rgb(b);
    assertEquals(x.length, y.length);
    long sum = 0;
    for (int i = 0; i < x.length; i++) {
      for (int shift = 0; shift <= 16; shift += 8) {
        sum += Math.abs(((x[i] >> shift) & 0xFF) - ((y[i] >> shift) & 0xFF));
      }
    }
    return sum / (3.0 * x.length);
  }

  private static void assertColour(BufferedImage image, int x, int y, int expected, int tolerance) {
    int actual = image.getRGB(x, y) & 0xFFFFFF;
    for (int shift = 0; shift <= 16; shift += 8) {
      int d = Math.abs(((actual >> shift) & 0xFF) - ((expected >> shift) & 0xFF));
      assertTrue(d <= tolerance, String.format("pixel (%d, %d) is %06X, expected %06X", x, y, actual, expected));
    }
  }
}
