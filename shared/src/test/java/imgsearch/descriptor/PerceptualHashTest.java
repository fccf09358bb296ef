package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {

  @Test
  void theDescriptorHoldsTheHashBitByBitSoThatL1CountsDifferingBits() {
    BufferedImage a = TestImages.photoLike(1, 320, 240);
    BufferedImage b = TestImages.photoLike(1, 160, 120);
    BufferedImage other = TestImages.photoLike(7, 320, 240);
    PerceptualHashDescriptor d = PerceptualHashDescriptor.fromConfig("");
    for (BufferedImage img : new BufferedImage[] {a, b, other}) {
      float[] v = d.describe(img);
      assertEquals(64, v.length);
      assertEquals(PerceptualHash.of(img), PerceptualHash.fromVector(v));
      for (float f : v) {
        assertTrue(f == 0f || f == 1f);
      }
    }
    long ha = PerceptualHash.of(a);
    long hOther = PerceptualHash.of(other);
    int bits = PerceptualHash.distance(ha, hOther);
    assertEquals(bits, Metric.L1.score(d.describe(a), d.describe(other)), 0);
    assertEquals(Math.sqrt(bits), Metric.L2.score(d.describe(a), d.describe(other)), 1e-6);
    assertEquals(Metric.L1, d.defaultMetric());
    assertTrue(d.metrics().contains(Metric.L2), "L2 gives the hash an HNSW graph");
  }

  @Test
  void sameHashWhateverTheImageTypeOrWhetherItIsASubImage() {
    BufferedImage rgb = TestImages.photoLike(3, 200, 150);
    BufferedImage argb = new BufferedImage(200, 150, BufferedImage.TYPE_INT_ARGB);
    BufferedImage bgr = new BufferedImage(200, 150, BufferedImage.TYPE_3BYTE_BGR);
    argb.getGraphics().drawImage(rgb, 0, 0, null);
    bgr.getGraphics().drawImage(rgb, 0, 0, null);
    long h = PerceptualHash.of(rgb);
    assertEquals(h, PerceptualHash.of(argb));
    assertEquals(h, PerceptualHash.of(bgr));
    BufferedImage big = TestImages.photoLike(4, 260, 210);
    BufferedImage copy = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
    copy.getGraphics().drawImage(big.getSubimage(30, 40, 100, 80), 0, 0, null);
    assertEquals(PerceptualHash.of(copy), PerceptualHash.of(big.getSubimage(30, 40, 100, 80)));
  }
}
