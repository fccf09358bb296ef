package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imgsearch.image.ImageDecodeException.Reason;
import imgsearch.testing.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decoder as this machine runs it: JPEGs through libjpeg-turbo where it is installed (as CI installs
 * it). {@link ImageIoDecoderTest} runs every test again on the pure-Java path, so both give the same
 * verdicts on every machine.
 */
class ImageDecoderTest {

  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final int WHITE = 0xFFFFFF;

  protected final ImageDecoder decoder = configure(new ImageDecoder());

  /** The decoder under test, made from one with default settings. */
  protected ImageDecoder configure(ImageDecoder plain) {
    return plain;
  }

  @TempDir Path dir;

  // ---- formats -------------------------------------------------------------------------------

  @Test
  void baselineJpegDecodesCloseToTheOriginal() throws Exception {
    BufferedImage original = TestImages.photoLike(1, 320, 240);
    DecodedImage decoded = decoder.decode(TestImages.jpeg(original, 0.9f));
    assertRgbImage(decoded, "jpeg", 320, 240);
    assertMeanDifferenceBelow(original, decoded.image(), 4.0);
  }

  @Test
  void progressiveJpegDecodesCloseToTheOriginal() throws Exception {
    BufferedImage original = TestImages.photoLike(2, 300, 200);
    DecodedImage decoded = decoder.decode(TestImages.progressiveJpeg(original, 0.9f));
    assertRgbImage(decoded, "jpeg", 300, 200);
    assertMeanDifferenceBelow(original, decoded.image(), 4.0);
  }

  @Test
  void greyJpegIsExpandedToRgbWithoutChangingTheLevels() throws Exception {
    BufferedImage grey = TestImages.grey(TestImages.solid(64, 48, 0x808080));
    DecodedImage decoded = decoder.decode(TestImages.jpeg(grey, 0.95f));
    assertRgbImage(decoded, "jpeg", 64, 48);
    assertColour(decoded.image(), 32, 24, 0x808080, 2);
  }

  @Test
  void cmykJpegHasTheRightColoursNotInverted() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.cmykJpeg());
    assertRgbImage(decoded, "jpeg", 64, 48);
    // Without a profile the CMYK-to-RGB conversion is approximate; inverted colours would be far off.
    assertColour(decoded.image(), 8, 6, RED, 70);
    assertColour(decoded.image(), 56, 6, GREEN, 70);
    assertColour(decoded.image(), 8, 42, BLUE, 70);
    assertColour(decoded.image(), 56, 42, WHITE, 40);
  }

  @Test
  void jpegIccProfileIsConvertedToSrgb() throws Exception {
    // 50% in linear light is about 188 in sRGB: proof that the embedded profile was applied.
    ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
    DecodedImage decoded = decoder.decode(TestImages.jpegWithIccProfile(TestImages.solid(32, 32, 0x808080), linear));
    assertRgbImage(decoded, "jpeg", 32, 32);
    assertColour(decoded.image(), 16, 16, 0xBCBCBC, 6);
  }

  @Test
  void pngDecodesExactly() throws Exception {
    BufferedImage original = TestImages.photoLike(3, 120, 90);
    DecodedImage decoded = decoder.decode(TestImages.png(original));
    assertRgbImage(decoded, "png", 120, 90);
    assertMeanDifferenceBelow(original, decoded.image(), 0.0001);
  }

  @Test
  void pngAlphaIsCompositedOnWhite() throws Exception {
    DecodedImage halfTransparent = decoder.decode(TestImages.pngWithAlpha(TestImages.solid(20, 10, RED), 128));
    assertRgbImage(halfTransparent, "png", 20, 10);
    assertColour(halfTransparent.image(), 10, 5, 0xFF7F7F, 2);

    DecodedImage transparent = decoder.decode(TestImages.pngWithAlpha(TestImages.solid(20, 10, BLUE), 0));
    assertColour(transparent.image(), 10, 5, WHITE, 0);

    DecodedImage opaque = decoder.decode(TestImages.pngWithAlpha(TestImages.solid(20, 10, BLUE), 255));
    assertColour(opaque.image(), 10, 5, BLUE, 0);
  }

  @Test
  void sixteenBitPngIsReducedToEightBits() throws Exception {
    BufferedImage original = TestImages.photoLike(4, 80, 60);
    DecodedImage decoded = decoder.decode(TestImages.png16Bit(original));
    assertRgbImage(decoded, "png", 80, 60);
    assertMeanDifferenceBelow(original, decoded.image(), 0.0001);
  }

  @Test
  void palettePngIsExpanded() throws Exception {
    BufferedImage original = TestImages.photoLike(5, 80, 60);
    DecodedImage decoded = decoder.decode(TestImages.palettePng(original));
    assertRgbImage(decoded, "png", 80, 60);
    for (int[] p : new int[][] {{0, 0}, {40, 30}, {79, 59}, {13, 47}}) {
      assertColour(decoded.image(), p[0], p[1], TestImages.paletteColour(original.getRGB(p[0], p[1])), 0);
    }
  }

  @Test
  void greyPngKeepsItsGreyLevels() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.png(TestImages.grey(TestImages.solid(16, 16, 0x808080))));
    assertRgbImage(decoded, "png", 16, 16);
    // Java treats grey as linear light; a naive conversion would brighten 128 to about 188.
    assertColour(decoded.image(), 8, 8, 0x808080, 0);
  }

  @Test
  void pngIccProfileIsConvertedToSrgb() throws Exception {
    ICC_Profile linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB);
    DecodedImage decoded = decoder.decode(TestImages.pngWithIccProfile(TestImages.solid(16, 16, 0x808080), linear));
    assertRgbImage(decoded, "png", 16, 16);
    assertColour(decoded.image(), 8, 8, 0xBCBCBC, 3);
  }

  @Test
  void gifFirstFrameIsDecoded() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.gif(TestImages.solid(30, 20, RED), TestImages.solid(30, 20, BLUE)));
    assertRgbImage(decoded, "gif", 30, 20);
    assertColour(decoded.image(), 15, 10, RED, 0);

    BufferedImage original = TestImages.photoLike(6, 60, 40);
    BufferedImage still = decoder.decode(TestImages.gif(original)).image();
    assertColour(still, 30, 20, TestImages.paletteColour(original.getRGB(30, 20)), 0);
  }

  @Test
  void bmpDecodesExactly() throws Exception {
    BufferedImage original = TestImages.photoLike(7, 61, 33); // odd width: rows are padded
    DecodedImage decoded = decoder.decode(TestImages.bmp(original));
    assertRgbImage(decoded, "bmp", 61, 33);
    assertMeanDifferenceBelow(original, decoded.image(), 0.0001);
  }

  @Test
  void lossyWebpHasTheQuadrantColours() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.webp());
    assertRgbImage(decoded, "webp", 64, 48);
    assertColour(decoded.image(), 8, 6, RED, 12);
    assertColour(decoded.image(), 56, 6, GREEN, 12);
    assertColour(decoded.image(), 8, 42, BLUE, 12);
    assertColour(decoded.image(), 56, 42, WHITE, 12);
  }

  @Test
  void webpAlphaIsCompositedOnWhite() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.webpWithAlpha());
    assertRgbImage(decoded, "webp", 64, 48);
    assertColour(decoded.image(), 10, 24, RED, 0);
    assertColour(decoded.image(), 50, 24, WHITE, 0);
  }

  // ---- EXIF orientation ----------------------------------------------------------------------

  @Test
  void orientation6TurnsA40x20ImageInto20x40WithTheCornerTopRight() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.jpegWithOrientation(TestImages.cornerMarked(40, 20), 6));
    assertRgbImage(decoded, "jpeg", 20, 40);
    assertColour(decoded.image(), 18, 1, RED, 40);
    assertColour(decoded.image(), 1, 1, BLUE, 40);
    assertColour(decoded.image(), 18, 38, BLUE, 40);
  }

  /** The stored top-left red corner must end up where the camera meant it to be shown. */
  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
    "1, 40, 20, top-left",
    "2, 40, 20, top-right",
    "3, 40, 20, bottom-right",
    "4, 40, 20, bottom-left",
    "5, 20, 40, top-left",
    "6, 20, 40, top-right",
    "7, 20, 40, bottom-right",
    "8, 20, 40, bottom-left",
  })
  void everyJpegExifOrientationIsApplied(int orientation, int width, int height, String corner) throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.jpegWithOrientation(TestImages.cornerMarked(40, 20), orientation));
    assertRgbImage(decoded, "jpeg", width, height);
    assertRedCorner(decoded.image(), corner);
  }

  @Test
  void pngExifOrientationIsApplied() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.pngWithOrientation(TestImages.cornerMarked(40, 20), 8));
    assertRgbImage(decoded, "png", 20, 40);
    assertRedCorner(decoded.image(), "bottom-left");
  }

  @Test
  void webpExifOrientationIsApplied() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.webpWithOrientation6());
    assertRgbImage(decoded, "webp", 20, 40);
    assertRedCorner(decoded.image(), "top-right");
  }

  @Test
  void outOfRangeOrientationIsIgnored() throws Exception {
    DecodedImage decoded = decoder.decode(TestImages.jpegWithOrientation(TestImages.cornerMarked(40, 20), 9));
    assertRgbImage(decoded, "jpeg", 40, 20);
    assertRedCorner(decoded.image(), "top-left");
  }

  // ---- sniffing, paths, probing --------------------------------------------------------------

  @Test
  void formatIsSniffedFromTheBytesNotTheFileName() throws Exception {
    Path misnamed = TestImages.write(dir, "photo.jpg", TestImages.png(TestImages.solid(10, 10, GREEN)));
    DecodedImage decoded = decoder.decode(misnamed);
    assertRgbImage(decoded, "png", 10, 10);
    assertColour(decoded.image(), 5, 5, GREEN, 0);
  }

  @Test
  void decodingAFileGivesTheSamePixelsAsDecodingItsBytes() throws Exception {
    byte[] jpeg = TestImages.jpegWithOrientation(TestImages.photoLike(8, 90, 60), 6);
    BufferedImage fromBytes = decoder.decode(jpeg).image();
    BufferedImage fromFile = decoder.decode(TestImages.write(dir, "a.jpeg", jpeg)).image();
    assertArrayEquals(pixels(fromBytes), pixels(fromFile));
  }

  @Test
  void probeReadsFormatAndSizeOfEveryFormat() throws Exception {
    BufferedImage image = TestImages.photoLike(9, 70, 50);
    Map<String, byte[]> files = Map.of(
        "jpeg", TestImages.jpeg(image, 0.8f),
        "png", TestImages.png(image),
        "gif", TestImages.gif(image),
        "bmp", TestImages.bmp(image));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      assertEquals(new ImageInfo(file.getKey(), 70, 50), decoder.probe(file.getValue()), file.getKey());
    }
    assertEquals(new ImageInfo("webp", 64, 48), decoder.probe(TestImages.webp()));
    assertEquals(new ImageInfo("jpeg", 64, 48), decoder.probe(TestImages.cmykJpeg()));
    // Stored size: orientation is not applied by a probe.
    assertEquals(new ImageInfo("webp", 40, 20), decoder.probe(TestImages.webpWithOrientation6()));
    Path file = TestImages.write(dir, "image.bin", TestImages.progressiveJpeg(image, 0.8f));
    assertEquals(new ImageInfo("jpeg", 70, 50), decoder.probe(file));
  }

  @Test
  void probeReportsWhatABombClaimsWithoutDecodingIt() throws Exception {
    ImageInfo info = decoder.probe(TestImages.pngBomb(100_000, 100_000));
    assertEquals(new ImageInfo("png", 100_000, 100_000), info);
    assertEquals(10_000_000_000L, info.pixels());
  }

  @Test
  void probeRejectsWhatIsNotAnImage() {
    assertReason(Reason.NOT_AN_IMAGE, () -> decoder.probe(TestImages.html()));
    assertReason(Reason.IO, () -> decoder.probe(dir.resolve("missing.jpg")));
  }

  // ---- failures ------------------------------------------------------------------------------

  @Test
  void truncatedJpegIsReportedAsTruncated() {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(10, 320, 240), 0.9f);
    ImageDecodeException e = assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(jpeg, jpeg.length / 2)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    // Cut inside the header, before the frame size.
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(jpeg, 40)));
    // Only the end marker missing.
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(jpeg, jpeg.length - 2)));
  }

  @Test
  void truncatedProgressiveJpegIsReportedAsTruncated() {
    byte[] jpeg = TestImages.progressiveJpeg(TestImages.photoLike(11, 320, 240), 0.9f);
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(jpeg, jpeg.length * 2 / 3)));
  }

  @Test
  void truncatedCmykJpegIsReportedAsTruncated() {
    byte[] jpeg = TestImages.cmykJpeg();
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(jpeg, jpeg.length - 10)));
  }

  @Test
  void truncatedPngIsReportedAsTruncated() {
    byte[] png = TestImages.png(TestImages.photoLike(12, 200, 150));
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(png, png.length / 2)));
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(png, 20)));
  }

  @Test
  void truncatedGifBmpAndWebpAreReportedAsTruncated() {
    BufferedImage image = TestImages.photoLike(13, 200, 150);
    byte[] gif = TestImages.gif(image);
    byte[] bmp = TestImages.bmp(image);
    byte[] lossy = TestImages.webp();
    byte[] lossless = TestImages.webpWithAlpha();
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(gif, gif.length / 2)));
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(bmp, bmp.length / 2)));
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(lossy, lossy.length - 5)));
    assertReason(Reason.TRUNCATED, () -> decoder.decode(TestImages.truncated(lossless, lossless.length - 5)));
  }

  @Test
  void htmlServedAsAnImageIsNotAnImage() throws Exception {
    ImageDecodeException e = assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(TestImages.html()));
    assertTrue(e.getMessage().contains("HTML"), e.getMessage());
    Path file = TestImages.write(dir, "photo.jpg", TestImages.html());
    assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(file));
  }

  @Test
  void emptyFileIsNotAnImage() {
    ImageDecodeException e = assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(new byte[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Path file = TestImages.write(dir, "empty.png", new byte[0]);
    assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(file));
  }

  @Test
  void unsupportedFormatsAndTextAreNotImages() {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0};
    ImageDecodeException e = assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(tiff));
    assertTrue(e.getMessage().contains("TIFF"), e.getMessage());
    assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode("BMW 320i, 1998".getBytes(StandardCharsets.US_ASCII)));
    assertReason(Reason.NOT_AN_IMAGE, () -> decoder.decode(new byte[] {(byte) 0xFF, (byte) 0xD8}));
  }

  @Test
  void decompressionBombIsRefusedBeforeItsPixelsAreAllocated() {
    // 900 megapixels: decoding would need gigabytes; the header check must refuse it first.
    ImageDecodeException e = assertReason(Reason.TOO_MANY_PIXELS, () -> decoder.decode(TestImages.pngBomb(30_000, 30_000)));
    assertTrue(e.getMessage().contains("30000 x 30000"), e.getMessage());
    // Beyond what an int array can hold.
    assertReason(Reason.TOO_MANY_PIXELS, () -> decoder.decode(TestImages.pngBomb(100_000, 100_000)));
  }

  @Test
  void jpegWhoseHeaderClaimsAHugeFrameIsRefused() {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(14, 64, 48), 0.8f);
    int sof = indexOfMarker(jpeg, 0xC0);
    // SOF0 layout: FF C0, length (2), precision (1), height (2), width (2).
    jpeg[sof + 5] = (byte) 0xEA; // height 60000
    jpeg[sof + 6] = (byte) 0x60;
    jpeg[sof + 7] = (byte) 0xEA; // width 60000
    jpeg[sof + 8] = (byte) 0x60;
    assertReason(Reason.TOO_MANY_PIXELS, () -> decoder.decode(jpeg));
  }

  @Test
  void pixelLimitComesFromTheGivenLimits() throws Exception {
    ImageDecoder small = configure(new ImageDecoder(new ImageLimits(1 << 20, 10_000)));
    assertReason(Reason.TOO_MANY_PIXELS, () -> small.decode(TestImages.png(TestImages.solid(101, 100, RED))));
    assertEquals(100, small.decode(TestImages.png(TestImages.solid(100, 100, RED))).width());
  }

  @Test
  void fileWithTooManyBytesIsRefused() throws Exception {
    ImageDecoder small = configure(new ImageDecoder(new ImageLimits(1000, 100_000_000)));
    byte[] png = TestImages.png(TestImages.photoLike(15, 100, 100));
    assertTrue(png.length > 1000);
    ImageDecodeException e = assertReason(Reason.TOO_MANY_BYTES, () -> small.decode(png));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    assertReason(Reason.TOO_MANY_BYTES, () -> small.decode(TestImages.write(dir, "big.png", png)));
    // The size is checked before the content: even non-images are refused for size first.
    assertReason(Reason.TOO_MANY_BYTES, () -> small.decode(new byte[1001]));
  }

  @Test
  void damagedPngIsCorrupt() {
    byte[] png = TestImages.png(TestImages.photoLike(16, 100, 80));
    int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
    // Overwrite the start of the compressed data, keeping the file's length and its IEND.
    Arrays.fill(png, idat + 4, idat + 40, (byte) 0xFF);
    assertReason(Reason.CORRUPT, () -> decoder.decode(png));
  }

  @Test
  void damagedJpegIsCorrupt() {
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(17, 100, 80), 0.8f);
    int dht = indexOfMarker(jpeg, 0xC4);
    // Huffman table with impossible code counts; the file still ends with its EOI marker.
    Arrays.fill(jpeg, dht + 5, dht + 21, (byte) 0xFF);
    ImageDecodeException e = assertReason(Reason.CORRUPT, () -> decoder.decode(jpeg));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
  }

  @Test
  void unreadableFilesAreIoErrors() {
    ImageDecodeException missing = assertReason(Reason.IO, () -> decoder.decode(dir.resolve("missing.jpg")));
    assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    assertReason(Reason.IO, () -> decoder.decode(dir));
    assertReason(Reason.IO, () -> decoder.probe(dir));
  }

  @Test
  void codecThatKeepsReadingPastTheEndIsStopped() {
    // A lossless WebP with one damaged byte: TwelveMonkeys' bit reader treats the end of the data
    // as endless zero bits and, unchecked, decoded a "valid" image from it after 45 seconds.
    byte[] damaged = HexFormat.of().parseHex("5249464626000000574542505650384c190000002f3fc00b100f10f31f291f0cb160"
        + "327fe9143a23fa1f55f01d00");
    ImageDecodeException e = assertReason(Reason.CORRUPT, () -> decoder.decode(damaged));
    assertTrue(e.getMessage().contains("past the end"), e.getMessage());
  }

  /** Random damage to every format must end in an image or an ImageDecodeException, never anything else. */
  @Test
  void damagedFilesNeverEscapeAsOtherExceptions() {
    ImageDecoder limited = configure(new ImageDecoder(new ImageLimits(1 << 20, 1 << 20)));
    BufferedImage image = TestImages.photoLike(18, 48, 32);
    List<byte[]> originals = List.of(TestImages.jpeg(image, 0.8f), TestImages.progressiveJpeg(image, 0.8f),
        TestImages.png(image), TestImages.pngWithAlpha(image, 100), TestImages.palettePng(image), TestImages.gif(image),
        TestImages.bmp(image), TestImages.webp(), TestImages.webpWithAlpha(), TestImages.cmykJpeg(),
        TestImages.jpegWithOrientation(image, 6));
    Random random = new Random(42);
    int decoded = 0;
    int refused = 0;
    for (byte[] original : originals) {
      for (int round = 0; round < 40; round++) {
        byte[] damaged = original.clone();
        int changes = 1 + random.nextInt(8);
        for (int i = 0; i < changes; i++) {
          damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
          damaged = Arrays.copyOf(damaged, 1 + random.nextInt(damaged.length));
        }
        try {
          DecodedImage result = limited.decode(damaged);
          assertEquals(BufferedImage.TYPE_INT_RGB, result.image().getType());
          decoded++;
        } catch (ImageDecodeException e) {
          assertNotNull(e.reason());
          assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
          refused++;
        } catch (RuntimeException e) {
          fail("damaged input escaped as " + e, e);
        }
      }
    }
    assertEquals(originals.size() * 40, decoded + refused);
    assertTrue(refused > 0, "the damage should have broken some files");
  }

  @Test
  void concurrentDecodesGiveTheSameResultsAsSequentialOnes() throws Exception {
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BufferedImage image = TestImages.photoLike(100 + i, 160, 120);
      files.add(i % 2 == 0 ? TestImages.jpegWithOrientation(image, 1 + i) : TestImages.png(image));
    }
    files.add(TestImages.cmykJpeg());
    files.add(TestImages.webp());
    List<int[]> expected = new ArrayList<>();
    for (byte[] file : files) {
      expected.add(pixels(decoder.decode(file).image()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<int[]>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (byte[] file : files) {
          futures.add(pool.submit(() -> pixels(decoder.decode(file).image())));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertArrayEquals(expected.get(i % files.size()), futures.get(i).get(), "file " + i % files.size());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private interface Decoding {
    Object run() throws ImageDecodeException;
  }

  private static ImageDecodeException assertReason(Reason expected, Decoding decoding) {
    ImageDecodeException e = assertThrows(ImageDecodeException.class, decoding::run);
    assertEquals(expected, e.reason(), "reason for: " + e.getMessage());
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    return e;
  }

  private static void assertRgbImage(DecodedImage decoded, String format, int width, int height) {
    assertEquals(format, decoded.format());
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.image().getType());
    assertTrue(decoded.image().getColorModel().getColorSpace().isCS_sRGB());
    assertEquals(width, decoded.width(), "width");
    assertEquals(height, decoded.height(), "height");
  }

  private static void assertColour(BufferedImage image, int x, int y, int expected, int tolerance) {
    int actual = image.getRGB(x, y) & 0xFFFFFF;
    for (int shift = 0; shift <= 16; shift += 8) {
      int difference = Math.abs((actual >> shift & 0xFF) - (expected >> shift & 0xFF));
      if (difference > tolerance) {
        fail(String.format(Locale.ROOT, "pixel (%d, %d) is #%06X, expected #%06X within %d", x, y, actual, expected,
            tolerance));
      }
    }
  }

  /** The red corner marker of {@link TestImages#cornerMarked} is in the named corner and no other. */
  private static void assertRedCorner(BufferedImage image, String corner) {
    int right = image.getWidth() - 2;
    int bottom = image.getHeight() - 2;
    Map<String, int[]> corners = Map.of("top-left", new int[] {1, 1}, "top-right", new int[] {right, 1},
        "bottom-left", new int[] {1, bottom}, "bottom-right", new int[] {right, bottom});
    for (Map.Entry<String, int[]> c : corners.entrySet()) {
      int expected = c.getKey().equals(corner) ? RED : BLUE;
      assertColour(image, c.getValue()[0], c.getValue()[1], expected, 60);
    }
  }

  private static void assertMeanDifferenceBelow(BufferedImage expected, BufferedImage actual, double limit) {
    int[] a = pixels(expected);
    int[] b = pixels(actual);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int shift = 0; shift <= 16; shift += 8) {
        sum += Math.abs((a[i] >> shift & 0xFF) - (b[i] >> shift & 0xFF));
      }
    }
    double mean = sum / (3.0 * a.length);
    assertTrue(mean < limit, "mean channel difference " + mean + " is not below " + limit);
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  private static int indexOfMarker(byte[] jpeg, int marker) {
    return indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) marker});
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }
}
