package imgsearch.index;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an index stores the vectors its HNSW graph compares. Quantized graphs compare small integer copies
 * of the vectors (less memory and disk read per comparison, slightly wrong scores); the index always keeps
 * the full float vectors too and re-scores the candidates with them, so results carry exact scores and
 * enough over-fetching restores recall. Descriptors searched by exact scans are not affected.
 */
public enum Quantization {
  /** Float32 vectors in the graph: exact comparisons, 4 bytes per dimension. */
  NONE("none", 32),
  /** 8 bits per dimension (Lucene's optimized scalar quantization, unsigned byte). */
  INT8("int8", 8),
  /** 7 bits per dimension. */
  INT7("int7", 7),
  /** 4 bits per dimension, packed two to a byte. */
  INT4("int4", 4),
  /** 2 bits per stored dimension, queries at 4 bits. */
  INT2("int2", 2),
  /** 1 bit per stored dimension, queries at 4 bits (binary quantization). */
  INT1("int1", 1);

  private final String id;
  private final int bits;

  Quantization(String id, int bits) {
    this.id = id;
    this.bits = bits;
  }

  /** The name users type and the index stores: {@code none}, {@code int8}, ... */
  public String id() {
    return id;
  }

  /** Bits per dimension of the vectors the graph compares. */
  public int bits() {
    return bits;
  }

  /** Parses an id such as {@code int8} (case-insensitive); a clear error names the valid ones. */
  public static Quantization fromId(String id) {
    String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (Quantization q : values()) {
      if (q.id.equals(wanted)) {
        return q;
      }
    }
    throw new IllegalArgumentException("unknown quantization '" + id + "'; use one of " + ids());
  }

  /** Every id, comma-separated. */
  public static String ids() {
    return Arrays.stream(values()).map(Quantization::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
