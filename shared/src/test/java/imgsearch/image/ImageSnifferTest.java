package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSnifferTest {

  @TempDir Path dir;

  private static final BufferedImage IMAGE = TestImages.photoLike(3, 40, 30);

  @Test
  void recognisesEveryFormatTheDecoderReads() {
    assertEquals(Optional.of("jpeg"), ImageSniffer.format(TestImages.jpeg(IMAGE, 0.9f)));
    assertEquals(Optional.of("png"), ImageSniffer.format(TestImages.png(IMAGE)));
    assertEquals(Optional.of("gif"), ImageSniffer.format(TestImages.gif(IMAGE)));
    assertEquals(Optional.of("bmp"), ImageSniffer.format(TestImages.bmp(IMAGE)));
    assertEquals(Optional.of("webp"), ImageSniffer.format(TestImages.webp()));
  }

  @Test
  void looksOnlyAtTheMagicNumbers() {
    assertEquals("jpeg", ImageSniffer.format(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}).orElseThrow());
    assertEquals("png", ImageSniffer.format(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).orElseThrow());
    assertTrue(ImageSniffer.format("<!DOCTYPE html><html>".getBytes(StandardCharsets.US_ASCII)).isEmpty());
  }

  @Test
  void tiffIsNotAnImageItCanDecodeInEitherByteOrder() {
    byte[] littleEndian = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] bigEndian = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (byte[] tiff : new byte[][] {littleEndian, bigEndian}) {
      assertEquals(Optional.empty(), ImageSniffer.format(tiff));
      assertEquals("application/octet-stream", ImageSniffer.mediaType(tiff));
      assertTrue(ImageSniffer.describe(tiff).contains("TIFF image, which is not supported"), ImageSniffer.describe(tiff));
    }
  }

  @Test
  void bmpNeedsAKnownInfoHeaderSizeNotJustBM() {
    byte[] bmp = TestImages.bmp(IMAGE);
    assertEquals("image/bmp", ImageSniffer.mediaType(bmp));
    byte[] text = "BM is how this note starts, and it is not a bitmap".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Optional.empty(), ImageSniffer.format(text));
    byte[] unknownHeader = bmp.clone();
    unknownHeader[14] = 99; // no BMP version has a 99-byte info header
    assertEquals(Optional.empty(), ImageSniffer.format(unknownHeader));
    assertEquals(Optional.of("bmp"), ImageSniffer.format(java.util.Arrays.copyOf(bmp, 18)), "18 bytes are enough");
    assertEquals(Optional.empty(), ImageSniffer.format(java.util.Arrays.copyOf(bmp, 17)));
  }

  @Test
  void agreesWithTheDecoder() throws Exception {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0};
    ImageDecodeException e = org.junit.jupiter.api.Assertions.assertThrows(ImageDecodeException.class,
        () -> decoder.decode(tiff));
    assertEquals(ImageDecodeException.Reason.NOT_AN_IMAGE, e.reason());
    assertEquals(ImageSniffer.describe(tiff), e.getMessage());
    assertEquals(IMAGE.getWidth(), decoder.decode(TestImages.bmp(IMAGE)).width());
  }

  @Test
  void describesWhatTheBytesAreInstead() {
    assertTrue(ImageSniffer.describe(new byte[0]).contains("empty"));
    assertTrue(ImageSniffer.describe("  <!DOCTYPE html><html>".getBytes(StandardCharsets.US_ASCII)).contains("HTML"));
  }

  @Test
  void mediaTypeOfAFileReadsItsFirstBytes() throws Exception {
    Path misnamed = Files.write(dir.resolve("photo.png"), TestImages.jpeg(IMAGE, 0.9f));
    assertEquals("image/jpeg", ImageSniffer.mediaType(misnamed));
    assertEquals("image/jpeg", ImageFiles.contentType(misnamed));
  }
}
