package imgsearch.descriptor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ByteKernels} with the Vector API, at the machine's preferred width (the sums are exact integers, so
 * the width does not change them). Bytes are loaded 8 or more at a time, zero-extended to int lanes (in one
 * or two parts: a 128-bit machine has 4 int lanes for 8 bytes) and summed per lane; the lanes are added to a
 * long every {@value #BLOCK} elements, before they could overflow (with 4 or more lanes a lane then holds at
 * most {@code 65,025 * BLOCK / 4}). Only loaded when the {@code jdk.incubator.vector} module is present.
 */
final class SimdByteKernels implements ByteKernels {

  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.length() >= 4
      ? IntVector.SPECIES_PREFERRED : IntVector.SPECIES_128;
  /** At least 64 bits: the narrowest byte vector there is. */
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, I.length() * 8)));
  /** Int vectors one byte vector widens to: 1, or 2 with 4-lane int vectors. */
  private static final int PARTS = B.length() / I.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();
  /** Elements per block of int-lane sums. */
  private static final int BLOCK = 8192;
  private static final ScalarByteKernels TAIL = new ScalarByteKernels();
  /** For L1: twice as many short lanes, for differences (at most 255) summed 128 at a time (at most 32,640). */
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.length() >= 8
      ? ShortVector.SPECIES_PREFERRED : ShortVector.SPECIES_128;
  private static final VectorSpecies<Byte> SB = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));
  private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, VectorShape.forBitSize(S.length() * 16));
  private static final int SHORT_BLOCK = 128 * 2 * S.length();

  static {
    if (PARTS < 1 || PARTS > 2 || BLOCK % (2 * B.length()) != 0 || SB.length() != S.length()) {
      throw new AssertionError("unexpected vector species: " + I + ", " + B);
    }
  }

  private static ByteVector bytes(MemorySegment v, long i) {
    return ByteVector.fromMemorySegment(B, v, i, ORDER);
  }

  private static IntVector ints(ByteVector v, int part) {
    return (IntVector) v.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, part);
  }

  /** Elements the vector loops cover: whole pairs of byte vectors. */
  private static int head(int n) {
    return n - n % (2 * B.length());
  }

  /**
   * Differences fit in 16 bits, so L1 runs on short lanes (twice the elements per instruction): two
   * accumulators of at most 128 differences each per block, then widened to int lanes.
   */
  @Override
  public long l1(MemorySegment a, MemorySegment b, int n) {
    int step = SB.length();
    int head = n - n % (2 * step);
    long sum = 0;
    for (int start = 0; start < head; start += SHORT_BLOCK) {
      int end = Math.min(start + SHORT_BLOCK, head);
      ShortVector s0 = ShortVector.zero(S), s1 = s0;
      for (int i = start; i < end; i += 2 * step) {
        s0 = s0.add(shorts(a, i).sub(shorts(b, i)).abs());
        s1 = s1.add(shorts(a, i + step).sub(shorts(b, i + step)).abs());
      }
      sum += widenedSum(s0) + widenedSum(s1);
    }
    return sum + (head == n ? 0 : TAIL.l1(a.asSlice(head), b.asSlice(head), n - head));
  }

  private static ShortVector shorts(MemorySegment v, long i) {
    return (ShortVector) ByteVector.fromMemorySegment(SB, v, i, ORDER).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
  }

  private static long widenedSum(ShortVector v) {
    IntVector lo = (IntVector) v.convertShape(VectorOperators.ZERO_EXTEND_S2I, SI, 0);
    IntVector hi = (IntVector) v.convertShape(VectorOperators.ZERO_EXTEND_S2I, SI, 1);
    return lo.add(hi).reduceLanesToLong(VectorOperators.ADD);
  }

  @Override
  public long squaredL2(MemorySegment a, MemorySegment b, int n) {
    int head = head(n), step = B.length();
    long sum = 0;
    for (int start = 0; start < head; start += BLOCK) {
      int end = Math.min(start + BLOCK, head);
      IntVector s0 = IntVector.zero(I), s1 = s0;
      for (int i = start; i < end; i += 2 * step) {
        ByteVector x0 = bytes(a, i), y0 = bytes(b, i), x1 = bytes(a, i + step), y1 = bytes(b, i + step);
        for (int p = 0; p < PARTS; p++) {
          IntVector d0 = ints(x0, p).sub(ints(y0, p));
          IntVector d1 = ints(x1, p).sub(ints(y1, p));
          s0 = s0.add(d0.mul(d0));
          s1 = s1.add(d1.mul(d1));
        }
      }
      sum += s0.add(s1).reduceLanesToLong(VectorOperators.ADD);
    }
    return sum + (head == n ? 0 : TAIL.squaredL2(a.asSlice(head), b.asSlice(head), n - head));
  }

  @Override
  public long dot(MemorySegment a, MemorySegment b, int n) {
    int head = head(n), step = B.length();
    long sum = 0;
    for (int start = 0; start < head; start += BLOCK) {
      int end = Math.min(start + BLOCK, head);
      IntVector s0 = IntVector.zero(I), s1 = s0;
      for (int i = start; i < end; i += 2 * step) {
        ByteVector x0 = bytes(a, i), y0 = bytes(b, i), x1 = bytes(a, i + step), y1 = bytes(b, i + step);
        for (int p = 0; p < PARTS; p++) {
          s0 = s0.add(ints(x0, p).mul(ints(y0, p)));
          s1 = s1.add(ints(x1, p).mul(ints(y1, p)));
        }
      }
      sum += s0.add(s1).reduceLanesToLong(VectorOperators.ADD);
    }
    return sum + (head == n ? 0 : TAIL.dot(a.asSlice(head), b.asSlice(head), n - head));
  }

  @Override
  public void moments(MemorySegment a, MemorySegment b, int n, long[] out) {
    int head = head(n), step = B.length();
    long sb = 0, sbb = 0, sab = 0;
    for (int start = 0; start < head; start += BLOCK) {
      int end = Math.min(start + BLOCK, head);
      IntVector s = IntVector.zero(I), q = s, p = s;
      for (int i = start; i < end; i += step) {
        ByteVector x = bytes(a, i), y = bytes(b, i);
        for (int part = 0; part < PARTS; part++) {
          IntVector yi = ints(y, part);
          s = s.add(yi);
          q = q.add(yi.mul(yi));
          p = p.add(ints(x, part).mul(yi));
        }
      }
      sb += s.reduceLanesToLong(VectorOperators.ADD);
      sbb += q.reduceLanesToLong(VectorOperators.ADD);
      sab += p.reduceLanesToLong(VectorOperators.ADD);
    }
    if (head < n) {
      long[] tail = new long[3];
      TAIL.moments(a.asSlice(head), b.asSlice(head), n - head, tail);
      sb += tail[0];
      sbb += tail[1];
      sab += tail[2];
    }
    out[0] = sb;
    out[1] = sbb;
    out[2] = sab;
  }
}
