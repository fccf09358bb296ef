package imgsearch.index;

/**
 * One result: the image and its score under the query's metric (a distance or a similarity, see
 * {@link imgsearch.descriptor.Metric}).
 */
public record SearchHit(ImageRecord image, double score) {}
