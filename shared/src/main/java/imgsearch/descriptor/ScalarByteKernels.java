package imgsearch.descriptor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * {@link ByteKernels} in plain Java, for a JVM without the vector module; exact, like the SIMD ones.
 *
 * <p>The vectors are copied out of their segments {@value #CHUNK} bytes at a time and summed in plain array
 * loops. Reading a segment element by element goes through the memory access machinery on every element
 * until C2 has compiled the loop: a search through 1,526 raw-pixel vectors took 14 s that way in a fresh JVM.
 * Array loops are fast from the first compilation on, and the copies are bulk copies. A chunk's sums fit in
 * an int ({@code 65,025 * CHUNK < 2^31}).
 */
final class ScalarByteKernels implements ByteKernels {

  private static final int CHUNK = 4096;

  /** Element {@code i} of an unsigned-byte vector. */
  static int at(MemorySegment v, long i) {
    return v.get(JAVA_BYTE, i) & 0xFF;
  }

  @Override
  public long l1(MemorySegment a, MemorySegment b, int n) {
    byte[] x = new byte[Math.min(n, CHUNK)], y = new byte[x.length];
    long sum = 0;
    for (int start = 0; start < n; start += CHUNK) {
      int length = copy(a, b, start, n, x, y);
      int s = 0;
      for (int i = 0; i < length; i++) {
        s += Math.abs((x[i] & 0xFF) - (y[i] & 0xFF));
      }
      sum += s;
    }
    return sum;
  }

  @Override
  public long squaredL2(MemorySegment a, MemorySegment b, int n) {
    byte[] x = new byte[Math.min(n, CHUNK)], y = new byte[x.length];
    long sum = 0;
    for (int start = 0; start < n; start += CHUNK) {
      int length = copy(a, b, start, n, x, y);
      int s = 0;
      for (int i = 0; i < length; i++) {
        int d = (x[i] & 0xFF) - (y[i] & 0xFF);
        s += d * d;
      }
      sum += s;
    }
    return sum;
  }

  @Override
  public long dot(MemorySegment a, MemorySegment b, int n) {
    byte[] x = new byte[Math.min(n, CHUNK)], y = new byte[x.length];
    long sum = 0;
    for (int start = 0; start < n; start += CHUNK) {
      int length = copy(a, b, start, n, x, y);
      int s = 0;
      for (int i = 0; i < length; i++) {
        s += (x[i] & 0xFF) * (y[i] & 0xFF);
      }
      sum += s;
    }
    return sum;
  }

  @Override
  public void moments(MemorySegment a, MemorySegment b, int n, long[] out) {
    byte[] x = new byte[Math.min(n, CHUNK)], y = new byte[x.length];
    long sb = 0, sbb = 0, sab = 0;
    for (int start = 0; start < n; start += CHUNK) {
      int length = copy(a, b, start, n, x, y);
      int s = 0, ss = 0, sp = 0;
      for (int i = 0; i < length; i++) {
        int u = x[i] & 0xFF, v = y[i] & 0xFF;
        s += v;
        ss += v * v;
        sp += u * v;
      }
      sb += s;
      sbb += ss;
      sab += sp;
    }
    out[0] = sb;
    out[1] = sbb;
    out[2] = sab;
  }

  /** Copies elements {@code [start, start + CHUNK)} of both vectors (fewer at the end); returns how many. */
  private static int copy(MemorySegment a, MemorySegment b, int start, int n, byte[] x, byte[] y) {
    int length = Math.min(CHUNK, n - start);
    MemorySegment.copy(a, JAVA_BYTE, start, x, 0, length);
    MemorySegment.copy(b, JAVA_BYTE, start, y, 0, length);
    return length;
  }
}
