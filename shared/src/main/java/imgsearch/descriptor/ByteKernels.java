package imgsearch.descriptor;

import java.lang.foreign.MemorySegment;

/**
 * The sums behind every {@link Metric} for {@link VectorEncoding#UINT8} vectors: elements are unsigned bytes
 * (0 to 255) in memory segments, a query on the heap and candidates straight from the index's memory-mapped
 * file. Every sum is a whole number computed exactly in integer arithmetic, so the order of additions does
 * not matter: the SIMD kernels use the widest vectors the CPU has, and every machine (any vector width, or
 * the plain loops of {@link ScalarByteKernels} without the Vector API) gets the same values, which are the
 * textbook ones. Chi-squared, the one metric with fractions, follows the order of {@link VectorKernels}.
 *
 * <p>Ranges, for {@code n} elements: sums of differences or values stay below {@code 255 n}, sums of squares
 * or products below {@code 65,025 n}; they are accumulated in long, so any vector a Lucene field can hold
 * is safe.
 */
interface ByteKernels {

  /** The kernels for this JVM: SIMD when the vector module is present. */
  static ByteKernels forThisJvm() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? new SimdByteKernels() : new ScalarByteKernels();
  }

  /** Sum of |a - b|. */
  long l1(MemorySegment a, MemorySegment b, int n);

  /** Sum of (a - b)^2. */
  long squaredL2(MemorySegment a, MemorySegment b, int n);

  /** Sum of a * b. */
  long dot(MemorySegment a, MemorySegment b, int n);

  /** {sum b, sum b*b, sum a*b}: what cosine (the last two) and correlation need per candidate. */
  void moments(MemorySegment a, MemorySegment b, int n, long[] out);

  /** Half the sum of (a - b)^2 / (a + b) in double, terms with a + b = 0 skipped, in the order of {@link VectorKernels}. */
  default double chiSquared(MemorySegment a, MemorySegment b, int n) {
    int head = n - n % VectorKernels.DOUBLE_SLOTS;
    double[] slot = new double[VectorKernels.DOUBLE_SLOTS];
    for (int i = 0; i < head; i += VectorKernels.DOUBLE_SLOTS) {
      for (int j = 0; j < VectorKernels.DOUBLE_SLOTS; j++) {
        slot[j] += chiTerm(a, b, i + j);
      }
    }
    double sum = ((slot[0] + slot[2]) + (slot[4] + slot[6])) + ((slot[1] + slot[3]) + (slot[5] + slot[7]));
    for (int i = head; i < n; i++) {
      sum += chiTerm(a, b, i);
    }
    return 0.5 * sum;
  }

  private static double chiTerm(MemorySegment a, MemorySegment b, int i) {
    int x = ScalarByteKernels.at(a, i), y = ScalarByteKernels.at(b, i), s = x + y;
    if (s == 0) {
      return 0;
    }
    double d = x - y;
    return d * d / s;
  }
}
