package imgsearch.index.lucene;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsWriter;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Stores vectors without an HNSW graph, for descriptors that are only ever scanned exactly (raw
 * pixels: 150,528 dimensions, where building a graph costs far more than scanning). Registered
 * through {@code META-INF/services} so that Lucene finds it by name when reading an index.
 */
public final class FlatVectorsFormat extends KnnVectorsFormat {

  /** Name recorded in the index. */
  public static final String NAME = "ImgsearchFlatVectors";

  /** Enough for raw pixels at 448 x 448 x 3. */
  static final int MAX_DIMENSIONS = 1 << 20;

  private final FlatVectorsScorer scorer = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
  private final KnnVectorsFormat delegate = new Lucene99FlatVectorsFormat(scorer);

  /** Used by Lucene's service loader. */
  public FlatVectorsFormat() {
    super(NAME);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    // Lucene's format, with the vectors of a segment being built kept out of the Java heap
    return new Lucene99FlatVectorsWriter(state, scorer, NativeFieldVectorsWriter::of);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return MAX_DIMENSIONS;
  }
}
