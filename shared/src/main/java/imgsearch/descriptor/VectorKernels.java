package imgsearch.descriptor;

/**
 * The sums behind every {@link Metric}, in one fixed order of operations, so that each sum has the same
 * value, to the last bit, on every machine. Two implementations follow the same order:
 * {@link SimdKernels} (the Vector API) and {@link ScalarKernels} (plain loops, when the
 * {@code jdk.incubator.vector} module is absent).
 *
 * <p><b>Float sums</b> (every kernel but {@link #chiSquared}): the first {@code 16 * floor(n / 16)}
 * elements are cut into blocks of {@value #BLOCK}; within a block element {@code i} is added to float slot
 * {@code i % 16} in index order (products by fused multiply-add); a block's 16 slots are converted to
 * double and combined as {@code x0 + x1} with {@code x0 = (s0+s2) + (s4+s6) + (s8+s10) + (s12+s14)} and
 * {@code x1} likewise from the odd slots, left to right; block results are added in double, then the
 * remaining {@code n % 16} elements, in double. A slot holds at most 64 terms per block, so for integer
 * terms whose slot sums stay below 2^24 (differences, squares and products of 0..255 pixel values) every
 * sum is exact. For other data each block sum carries float rounding, about 1e-7 of its magnitude.
 *
 * <p><b>Chi-squared</b> computes every term in double: the first {@code 8 * floor(n / 8)} terms go to
 * double slot {@code i % 8} in index order, combined as {@code ((s0+s2) + (s4+s6)) + ((s1+s3) + (s5+s7))};
 * the remaining terms are added after, in index order. Each term is the correctly rounded textbook term.
 *
 * <p>The order is fixed by the data's layout, never by the CPU: the SIMD kernels use 128-bit vectors
 * (which every x86-64 and ARM64 CPU has) whatever wider size the machine prefers, and a wider machine
 * gains little since the long scans are limited by memory bandwidth.
 */
interface VectorKernels {

  /** Elements per float block (a multiple of 16). */
  int BLOCK = 1024;
  /** Float slots: 4 vectors of 4 lanes. */
  int FLOAT_SLOTS = 16;
  /** Double slots of the chi-squared kernel: 4 vectors of 2 lanes. */
  int DOUBLE_SLOTS = 8;

  /** The kernels for this JVM: SIMD when the vector module is present. */
  static VectorKernels forThisJvm() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? new SimdKernels() : new ScalarKernels();
  }

  /** Sum of |a - b|, differences in float. */
  double l1(float[] a, float[] b);

  /** Sum of (a - b)^2, differences in float. */
  double squaredL2(float[] a, float[] b);

  /** Sum of a * b. */
  double dot(float[] a, float[] b);

  /** {sum a, sum a*a}. */
  double[] sumAndSquares(float[] a);

  /** {sum a*b, sum b*b}: what cosine needs per candidate once the query's norm is known. */
  double[] dotAndSquares(float[] a, float[] b);

  /** {sum b, sum b*b, sum a*b}: what correlation needs per candidate. */
  double[] crossMoments(float[] a, float[] b);

  /** Half the sum of (a - b)^2 / (a + b) in double, terms with a + b = 0 skipped. */
  double chiSquared(float[] a, float[] b);
}
