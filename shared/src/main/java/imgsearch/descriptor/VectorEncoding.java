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
    // Branch-free loops the JIT vectorises (a pixel vector has 150,528 elements, converted for every photo):
    // the bytes, then the check, whose min, max and largest fraction also catch NaN (Math.max keeps it).
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) (int) v[i];
    }
    float min = 0, max = 0, fraction = 0;
    for (int i = 0; i < v.length; i++) {
      float x = v[i];
      min = Math.min(min, x);
      max = Math.max(max, x);
      fraction = Math.max(fraction, Math.abs(x - (float) (int) x));
    }
    if (min < 0 || max > 255 || !(fraction == 0)) {
      throw new IllegalArgumentException(notAByte(v));
    }
    return out;
  }

  /** Says which element of {@code v} is not a whole number 0 to 255 (there is one). */
  private static String notAByte(float[] v) {
    for (int i = 0; i < v.length; i++) {
      float x = v[i];
      int b = (int) x;
      if (b != x || (b & ~0xFF) != 0) {
        return "element " + i + " of a uint8 vector is " + x + ", not a whole number from 0 to 255";
      }
    }
    throw new IllegalStateException("no element of the vector is out of range");
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
