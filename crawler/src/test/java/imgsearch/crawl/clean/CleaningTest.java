package imgsearch.crawl.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.PerceptualHash;
import imgsearch.image.ImageLimits;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class CleaningTest {

  @Test
  void perceptualHashesSeeCopiesAsNearAndOtherPhotosAsFar() throws java.io.IOException {
    BufferedImage a = TestImages.photoLike(1, 320, 240);
    long h = PerceptualHash.of(a);
    assertEquals(h, PerceptualHash.of(TestImages.photoLike(1, 320, 240)));
    int near = CleaningOptions.defaults().nearDuplicateDistance();
    assertTrue(PerceptualHash.distance(h, PerceptualHash.of(TestImages.photoLike(1, 160, 120))) <= near, "rescaled copy");
    BufferedImage recompressed = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(TestImages.jpeg(a, 0.3f)));
    assertTrue(PerceptualHash.distance(h, PerceptualHash.of(recompressed)) <= near, "heavily recompressed copy");
    for (int seed = 2; seed < 40; seed++) {
      assertTrue(PerceptualHash.distance(h, PerceptualHash.of(TestImages.photoLike(seed, 320, 240)))
          > CleaningOptions.defaults().splitGroupDistance(), "different photo " + seed);
    }
    assertEquals(PerceptualHash.of(TestImages.photoLike(3, 8, 6)), PerceptualHash.of(TestImages.photoLike(3, 8, 6)),
        "tiny images hash too");
  }

  @Test
  void jpegHeadersTellWhetherTheOriginalCanBeKept() {
    BufferedImage img = TestImages.photoLike(3, 64, 48);
    JpegInfo plain = JpegInfo.read(TestImages.jpeg(img, 0.9f)).orElseThrow();
    assertEquals(3, plain.components());
    assertTrue(plain.cleanRgb());
    JpegInfo rotated = JpegInfo.read(TestImages.jpegWithOrientation(img, 6)).orElseThrow();
    assertEquals(6, rotated.orientation());
    assertFalse(rotated.cleanRgb());
    JpegInfo cmyk = JpegInfo.read(TestImages.cmykJpeg()).orElseThrow();
    assertEquals(4, cmyk.components());
    assertFalse(cmyk.cleanRgb());
    assertFalse(JpegInfo.read(TestImages.jpeg(TestImages.grey(img), 0.9f)).orElseThrow().cleanRgb(), "grey is re-encoded");
    assertTrue(JpegInfo.read(TestImages.png(img)).isEmpty());
  }

  @Test
  void theCleanerDropsWhatIsUnusable() {
    ImageCleaner cleaner = new ImageCleaner(CleaningOptions.defaults(), ImageLimits.DEFAULT);
    assertEquals(RejectReason.NOT_AN_IMAGE, reason(cleaner, TestImages.html()));
    byte[] photo = TestImages.jpeg(TestImages.photoLike(4, 300, 200), 0.9f);
    assertEquals(RejectReason.TRUNCATED, reason(cleaner, TestImages.truncated(photo, photo.length / 2)));
    assertEquals(RejectReason.TOO_SMALL, reason(cleaner, TestImages.jpeg(TestImages.photoLike(4, 99, 300), 0.9f)));
    assertEquals(RejectReason.EXTREME_ASPECT_RATIO, reason(cleaner, TestImages.jpeg(TestImages.photoLike(4, 900, 200), 0.9f)));
    assertEquals(RejectReason.BLANK, reason(cleaner, TestImages.png(TestImages.solid(300, 200, 0xFFFFFF))));
    assertEquals(RejectReason.TOO_MANY_PIXELS, reason(cleaner, TestImages.pngBomb(100_000, 100_000)));
    assertInstanceOf(ImageCleaner.Usable.class, cleaner.inspect(photo));
  }

  @Test
  void keptImagesAreStoredAsUprightRgbJpegs() {
    ImageCleaner cleaner = new ImageCleaner(CleaningOptions.defaults().withMinSize(10, 10), ImageLimits.DEFAULT);
    byte[] clean = TestImages.jpeg(TestImages.photoLike(5, 200, 100), 0.9f);
    ImageCleaner.Usable u = (ImageCleaner.Usable) cleaner.inspect(clean);
    assertTrue(cleaner.keepsOriginal(clean, u));
    assertEquals(clean, cleaner.storedJpeg(clean, u));

    byte[] rotated = TestImages.jpegWithOrientation(TestImages.photoLike(5, 200, 100), 6);
    ImageCleaner.Usable r = (ImageCleaner.Usable) cleaner.inspect(rotated);
    byte[] stored = cleaner.storedJpeg(rotated, r);
    JpegInfo info = JpegInfo.read(stored).orElseThrow();
    assertTrue(info.cleanRgb());
    assertEquals(100, r.image().width());

    byte[] png = TestImages.pngWithAlpha(TestImages.photoLike(6, 120, 90), 0);
    ImageCleaner.Usable p = (ImageCleaner.Usable) cleaner.inspect(TestImages.pngWithAlpha(TestImages.photoLike(6, 120, 90), 200));
    assertTrue(JpegInfo.read(cleaner.storedJpeg(png, p)).orElseThrow().cleanRgb());
  }

  private static RejectReason reason(ImageCleaner cleaner, byte[] bytes) {
    ImageCleaner.Result r = cleaner.inspect(bytes);
    assertInstanceOf(ImageCleaner.Unusable.class, r, "should be dropped");
    return ((ImageCleaner.Unusable) r).rejection().reason();
  }
}
