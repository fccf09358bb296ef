package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelsDescriptorTest {

  /** 2 x 2: red, green / blue, white. */
  private static BufferedImage tiny() {
    return ImageScaling.fromRgb(new int[] {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF}, 2, 2);
  }

  @Test
  void sameSizeGivesTheRgbValuesInterleavedRowByRow() {
    float[] v = new PixelsDescriptor(2).describe(tiny());
    assertArrayEquals(new float[] {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}, v);
  }

  @Test
  void shrinkingAveragesTheCoveredArea() {
    // one pixel covering all four: (255 + 0 + 0 + 255) / 4 = 127.5 -> 128 per channel
    assertArrayEquals(new float[] {128, 128, 128}, new PixelsDescriptor(1).describe(tiny()));
    // a 4 x 2 image of two 2 x 2 blocks squashed to 2 x 2: each output pixel averages two pixels of one block
    BufferedImage blocks = ImageScaling.fromRgb(new int[] {
        0x102030, 0x102030, 0xF0E0D0, 0xF0E0D0,
        0x102030, 0x102030, 0xF0E0D0, 0xF0E0D0}, 4, 2);
    assertArrayEquals(new float[] {0x10, 0x20, 0x30, 0xF0, 0xE0, 0xD0, 0x10, 0x20, 0x30, 0xF0, 0xE0, 0xD0},
        new PixelsDescriptor(2).describe(blocks));
  }

  @Test
  void indexingGetsTheSameValuesAsBytes() {
    // channels of 128 and more are negative Java bytes: stored unsigned, read back as 128..255
    BufferedImage image = ImageScaling.fromRgb(new int[] {0xFF8001, 0x7F00FE, 0x000000, 0xFFFFFF}, 2, 2);
    assertArrayEquals(new byte[] {(byte) 255, (byte) 128, 1, 127, 0, (byte) 254, 0, 0, 0, -1, -1, -1},
        new PixelsDescriptor(2).describeUnsigned(image));
    assertArrayEquals(new float[] {255, 128, 1, 127, 0, 254, 0, 0, 0, 255, 255, 255},
        new PixelsDescriptor(2).describe(image));
  }

  @Test
  void wholeImageIsSquashedToNxN() {
    BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
    float[] v = new PixelsDescriptor(8).describe(wide);
    assertEquals(8 * 8 * 3, v.length);
  }

  @Test
  void specAndDefaults() {
    PixelsDescriptor d = PixelsDescriptor.fromConfig("");
    assertEquals("pixels", d.name());
    assertEquals(224, d.size());
    assertEquals("size=224", d.config());
    assertEquals(150_528, d.dimension());
    assertEquals(List.of(Metric.CORRELATION, Metric.COSINE, Metric.L1, Metric.L2), d.metrics());
    assertEquals(Metric.CORRELATION, d.defaultMetric());
    assertEquals(3 * 448 * 448, PixelsDescriptor.fromConfig("size=448").dimension());
    assertEquals(3 * 32 * 32, PixelsDescriptor.fromConfig(" size = 32 ").dimension());
    assertTrue(d.spec().compatibleWith(PixelsDescriptor.fromConfig("size=224").spec()));
    assertFalse(d.spec().compatibleWith(PixelsDescriptor.fromConfig("size=448").spec()));
  }

  @Test
  void badConfigsAreRefusedWithAHint() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelsDescriptor.fromConfig("width=3"))
        .getMessage().contains("size=N"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelsDescriptor.fromConfig("size=big"))
        .getMessage().contains("whole number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelsDescriptor.fromConfig("size=0"))
        .getMessage().contains("between 1 and 1024"));
    assertThrows(IllegalArgumentException.class, () -> PixelsDescriptor.fromConfig("size=4096"));
  }
}
