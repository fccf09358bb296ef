package imgsearch.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import imgsearch.descriptor.Metric;
import imgsearch.index.ImageRecord;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link imgsearch.index.ImageIndex} does for a backend that does not override it. */
class ImageIndexDefaultsTest {

  @Test
  void byteVectorsAreWidenedToTheFloatsTheyStandFor() throws IOException {
    InMemoryImageIndex index = new InMemoryImageIndex().descriptor("pix", 4, Metric.L1).descriptor("hist", 2, Metric.L1);
    ImageRecord image = new ImageRecord("a", "/data/a.jpg", "h", 1, 2, 2, null, null, null, Set.of());
    index.upsert(image, Map.of("hist", new float[] {0.25f, 0.75f}), Map.of("pix", new byte[] {0, 1, (byte) 128, (byte) 255}));
    assertArrayEquals(new float[] {0, 1, 128, 255}, index.vector("a", "pix").orElseThrow());
    assertArrayEquals(new float[] {0.25f, 0.75f}, index.vector("a", "hist").orElseThrow());
  }
}
