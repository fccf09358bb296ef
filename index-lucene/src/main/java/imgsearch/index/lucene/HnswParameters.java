package imgsearch.index.lucene;

/** The HNSW graph's shape, the same for every vector format (and Lucene's defaults, as hnswlib's usual ones). */
final class HnswParameters {
  private HnswParameters() {}

  /** Neighbours per node on the upper layers (twice as many on the bottom layer): hnswlib's M. */
  static final int MAX_CONN = 16;
  /** Candidates considered while inserting a node: hnswlib's efConstruction. */
  static final int BEAM_WIDTH = 100;
}
