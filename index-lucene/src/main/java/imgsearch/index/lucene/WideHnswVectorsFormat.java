package imgsearch.index.lucene;

import imgsearch.index.VectorLayout;
import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW format with a higher dimension limit (Lucene stops at 1,024 by default; the HSV
 * histogram has 1,440). It writes Lucene's own files under Lucene's own format name, so a stock
 * {@link Lucene99HnswVectorsFormat} reads them back: the limit is only checked while indexing.
 */
final class WideHnswVectorsFormat extends KnnVectorsFormat {

  /** The layout's limit: every vector that gets a graph fits. */
  static final int MAX_DIMENSIONS = VectorLayout.MAX_GRAPH_DIMENSIONS;

  private final KnnVectorsFormat delegate =
      new Lucene99HnswVectorsFormat(HnswParameters.MAX_CONN, HnswParameters.BEAM_WIDTH, 1, null,
          HnswParameters.TINY_SEGMENTS_THRESHOLD);

  WideHnswVectorsFormat() {
    super(new Lucene99HnswVectorsFormat().getName());
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
    return MAX_DIMENSIONS;
  }
}
