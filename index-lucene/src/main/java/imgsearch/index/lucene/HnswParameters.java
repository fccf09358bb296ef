package imgsearch.index.lucene;

/** The HNSW graph's shape, the same for every vector format (and Lucene's defaults, as hnswlib's usual ones). */
final class HnswParameters {
  private HnswParameters() {}

  /** Neighbours per node on the upper layers (twice as many on the bottom layer): hnswlib's M. */
  static final int MAX_CONN = 16;
  /** Candidates considered while inserting a node: hnswlib's efConstruction. */
  static final int BEAM_WIDTH = 100;
  /**
   * Lucene builds a segment's graph only once it holds more than {@code ln(n) * this} vectors; below that,
   * searches scan the segment's vectors exactly. 300: no graph under about 2,300 vectors (Lucene's default,
   * 100, starts at about 650), where a scan costs a fraction of a millisecond even at 512 dimensions and
   * building the graph cost a short indexing run more than its searches ever save.
   */
  static final int TINY_SEGMENTS_THRESHOLD = 300;
}
