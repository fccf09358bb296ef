package imgsearch.descriptor;

/** How the elements of a descriptor's vectors are stored in an index. */
public enum VectorEncoding {
  /** 32-bit floats. */
  FLOAT32,
  /**
   * Whole numbers 0 to 255, one byte each (raw pixels): a quarter of the memory a float takes, so an exact
   * scan reads a quarter of the bytes, and every metric's sums are exact integers.
   */
  UINT8;

  /** A {@link #UINT8} vector as unsigned bytes; every element must be a whole number 0 to 255. */
  public static byte[] toUnsignedBytes(float[] v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      float x = v[i];
      int b = (int) x;
      // one comparison for fractions, NaN and out-of-range values alike: they do not survive the round trip
      if (b != x || (b & ~0xFF) != 0) {
        throw new IllegalArgumentException("element " + i + " of a uint8 vector is " + x
            + ", not a whole number from 0 to 255");
      }
      out[i] = (byte) b;
    }
    return out;
  }

  /** Unsigned bytes back as a float vector. */
  public static float[] fromUnsignedBytes(byte[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] & 0xFF;
    }
    return out;
  }
}
