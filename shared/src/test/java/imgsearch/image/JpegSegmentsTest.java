package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {

  private static final BufferedImage IMAGE = TestImages.photoLike(5, 64, 48);

  @Test
  void readsTheFrameOfAPlainJpeg() {
    JpegSegments s = JpegSegments.read(TestImages.jpeg(IMAGE, 0.9f));
    assertEquals(64, s.width());
    assertEquals(48, s.height());
    assertEquals(3, s.components());
    assertEquals(0, s.orientation(), "no Exif block");
    assertNull(s.exif());
    assertFalse(s.hasIccSegment());
    assertTrue(s.reachedScan());
    assertEquals(1, JpegSegments.read(TestImages.jpeg(TestImages.grey(IMAGE), 0.9f)).components());
  }

  @Test
  void readsTheOrientationTheColourTransformAndTheProfile() {
    assertEquals(6, JpegSegments.read(TestImages.jpegWithOrientation(IMAGE, 6)).orientation());
    JpegSegments cmyk = JpegSegments.read(TestImages.cmykJpeg());
    assertEquals(4, cmyk.components());
    assertTrue(cmyk.adobeTransform() >= 0, "CMYK JPEGs carry an Adobe segment");
    JpegSegments withProfile = JpegSegments.read(
        TestImages.jpegWithIccProfile(IMAGE, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)));
    assertTrue(withProfile.hasIccSegment());
    assertNotNull(withProfile.iccProfile());
  }

  @Test
  void aDamagedHeaderEndsTheWalkBeforeTheScan() {
    byte[] jpeg = TestImages.jpeg(IMAGE, 0.9f);
    assertTrue(JpegSegments.isJpeg(jpeg));
    assertFalse(JpegSegments.isJpeg(TestImages.png(IMAGE)));
    assertFalse(JpegSegments.read(Arrays.copyOf(jpeg, 30)).reachedScan());
    byte[] junk = jpeg.clone();
    junk[2] = 0x12; // where the first marker should be
    assertFalse(JpegSegments.read(junk).reachedScan());
  }
}
