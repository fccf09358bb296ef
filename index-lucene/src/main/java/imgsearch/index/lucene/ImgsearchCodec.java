package imgsearch.index.lucene;

import imgsearch.index.Quantization;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;

/**
 * Lucene's default codec with our vector format per field: fields named {@code flat.*} are stored
 * without a graph, every other vector field gets an HNSW graph (see {@link VectorFields}) over float or
 * quantized vectors, as the field's descriptor is configured ({@link Quantization}). The choice is made
 * whenever a segment is written, flushed or merged, so segments written after a change of quantization
 * use the new one. Written segments carry Lucene's own codec name and read back with the stock codec
 * (the quantized formats are found by name through {@code META-INF/services}).
 */
final class ImgsearchCodec extends Lucene104Codec {

  static final String FLAT_PREFIX = "flat.";

  private final KnnVectorsFormat flat = new FlatVectorsFormat();
  private final Map<Quantization, KnnVectorsFormat> graphs = new EnumMap<>(Quantization.class);
  private final Function<String, Quantization> quantizationOfField;

  /** @param quantizationOfField the quantization each graph field is to be written with */
  ImgsearchCodec(Function<String, Quantization> quantizationOfField) {
    this.quantizationOfField = quantizationOfField;
    for (Quantization q : Quantization.values()) {
      graphs.put(q, formatOf(q));
    }
  }

  /** Every graph field as float32 vectors. */
  ImgsearchCodec() {
    this(field -> Quantization.NONE);
  }

  /** The vector format that writes graphs of quantization {@code q}. */
  static KnnVectorsFormat formatOf(Quantization q) {
    return q == Quantization.NONE ? new WideHnswVectorsFormat() : QuantizedHnswVectorsFormat.of(q);
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    if (field.startsWith(FLAT_PREFIX)) {
      return flat;
    }
    Quantization q = quantizationOfField.apply(field);
    return graphs.get(q == null ? Quantization.NONE : q);
  }
}
