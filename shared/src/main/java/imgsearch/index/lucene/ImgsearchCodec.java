package imgsearch.index.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;

/**
 * Lucene's default codec with our vector format per field: fields named {@code flat.*} are stored
 * without a graph, every other vector field gets an HNSW graph (see {@link VectorFields}). Written
 * segments carry Lucene's own codec name and read back with the stock codec.
 */
final class ImgsearchCodec extends Lucene104Codec {

  static final String FLAT_PREFIX = "flat.";

  private final KnnVectorsFormat graph = new WideHnswVectorsFormat();
  private final KnnVectorsFormat flat = new FlatVectorsFormat();

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return field.startsWith(FLAT_PREFIX) ? flat : graph;
  }
}
