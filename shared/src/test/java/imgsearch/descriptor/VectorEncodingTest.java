package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorEncodingTest {

  @Test
  void everyWholeNumberFrom0To255RoundTrips() {
    float[] v = new float[257];
    for (int i = 0; i < 256; i++) {
      v[i] = i;
    }
    v[256] = -0.0f; // a zero all the same
    byte[] bytes = VectorEncoding.toUnsignedBytes(v);
    for (int i = 0; i < 256; i++) {
      assertEquals(i, bytes[i] & 0xFF);
    }
    assertEquals(0, bytes[256]);
    float[] back = VectorEncoding.fromUnsignedBytes(bytes);
    v[256] = 0;
    assertArrayEquals(v, back);
  }

  @Test
  void anythingElseIsRefusedNamingTheElement() {
    for (float bad : new float[] {0.5f, 254.9f, 255.5f, 256, -1, -0.5f, 1e10f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY}) {
      float[] v = {1, 2, bad, 3};
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> VectorEncoding.toUnsignedBytes(v), "accepted " + bad);
      assertEquals("element 2 of a uint8 vector is " + bad + ", not a whole number from 0 to 255", e.getMessage());
    }
  }
}
