package imgsearch.index.lucene;

import imgsearch.index.Quantization;
import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Lucene's scalar-quantized HNSW format ({@link Lucene104HnswScalarQuantizedVectorsFormat}: the graph
 * compares quantized copies, the float vectors are kept beside them) with one fixed encoding, under a name
 * of its own per encoding, e.g. {@code ImgsearchHnswInt8}. The name recorded in each segment says which
 * quantization that segment was written with, so the index can tell which segments to rewrite after the
 * quantization of a descriptor changed. Registered through {@code META-INF/services}; the subclasses exist
 * because Lucene's service loader needs a public no-argument constructor per name.
 */
public abstract class QuantizedHnswVectorsFormat extends KnnVectorsFormat {

  private final Quantization quantization;
  private final KnnVectorsFormat delegate;

  QuantizedHnswVectorsFormat(Quantization quantization) {
    super(nameOf(quantization));
    this.quantization = quantization;
    this.delegate = new Lucene104HnswScalarQuantizedVectorsFormat(encodingOf(quantization),
        HnswParameters.MAX_CONN, HnswParameters.BEAM_WIDTH, 1, null, HnswParameters.TINY_SEGMENTS_THRESHOLD);
  }

  /** The format name recorded in the index for {@code q}. */
  static String nameOf(Quantization q) {
    String id = q.id();
    return "ImgsearchHnsw" + Character.toUpperCase(id.charAt(0)) + id.substring(1);
  }

  static ScalarEncoding encodingOf(Quantization q) {
    return switch (q) {
      case INT8 -> ScalarEncoding.UNSIGNED_BYTE;
      case INT7 -> ScalarEncoding.SEVEN_BIT;
      case INT4 -> ScalarEncoding.PACKED_NIBBLE;
      case INT2 -> ScalarEncoding.DIBIT_QUERY_NIBBLE;
      case INT1 -> ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE;
      case NONE -> throw new IllegalArgumentException("no quantization");
    };
  }

  /** The format for {@code q}. */
  static KnnVectorsFormat of(Quantization q) {
    return switch (q) {
      case INT8 -> new Int8();
      case INT7 -> new Int7();
      case INT4 -> new Int4();
      case INT2 -> new Int2();
      case INT1 -> new Int1();
      case NONE -> throw new IllegalArgumentException("no quantization");
    };
  }

  Quantization quantization() {
    return quantization;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return WideHnswVectorsFormat.MAX_DIMENSIONS;
  }

  /** 8 bits per dimension. */
  public static final class Int8 extends QuantizedHnswVectorsFormat {
    public Int8() {
      super(Quantization.INT8);
    }
  }

  /** 7 bits per dimension. */
  public static final class Int7 extends QuantizedHnswVectorsFormat {
    public Int7() {
      super(Quantization.INT7);
    }
  }

  /** 4 bits per dimension. */
  public static final class Int4 extends QuantizedHnswVectorsFormat {
    public Int4() {
      super(Quantization.INT4);
    }
  }

  /** 2 bits per dimension, 4-bit queries. */
  public static final class Int2 extends QuantizedHnswVectorsFormat {
    public Int2() {
      super(Quantization.INT2);
    }
  }

  /** 1 bit per dimension, 4-bit queries. */
  public static final class Int1 extends QuantizedHnswVectorsFormat {
    public Int1() {
      super(Quantization.INT1);
    }
  }
}
