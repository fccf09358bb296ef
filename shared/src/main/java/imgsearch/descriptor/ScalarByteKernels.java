package imgsearch.descriptor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/** {@link ByteKernels} in plain Java, for a JVM without the vector module; exact, like the SIMD ones. */
final class ScalarByteKernels implements ByteKernels {

  /** Element {@code i} of an unsigned-byte vector. */
  static int at(MemorySegment v, long i) {
    return v.get(JAVA_BYTE, i) & 0xFF;
  }

  @Override
  public long l1(MemorySegment a, MemorySegment b, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.abs(at(a, i) - at(b, i));
    }
    return sum;
  }

  @Override
  public long squaredL2(MemorySegment a, MemorySegment b, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      int d = at(a, i) - at(b, i);
      sum += d * d;
    }
    return sum;
  }

  @Override
  public long dot(MemorySegment a, MemorySegment b, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += at(a, i) * at(b, i);
    }
    return sum;
  }

  @Override
  public void moments(MemorySegment a, MemorySegment b, int n, long[] out) {
    long sb = 0, sbb = 0, sab = 0;
    for (int i = 0; i < n; i++) {
      int x = at(a, i), y = at(b, i);
      sb += y;
      sbb += y * y;
      sab += x * y;
    }
    out[0] = sb;
    out[1] = sbb;
    out[2] = sab;
  }
}
