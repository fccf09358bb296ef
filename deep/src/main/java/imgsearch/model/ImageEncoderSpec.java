package imgsearch.model;

/**
 * The image half of a catalogued model: its ONNX file, the names in its signature and its
 * preprocessing.
 *
 * @param file the ONNX file
 * @param inputName name of the float {@code [N, 3, crop, crop]} input
 * @param output where the embedding comes from
 * @param outputName with {@link FeatureSource#GRAPH_OUTPUT}, the name of the float {@code [N, D]}
 *     output; ignored otherwise
 * @param preprocessing how an image becomes the input tensor
 */
public record ImageEncoderSpec(ModelFile file, String inputName, FeatureSource output, String outputName,
    ImagePreprocessing preprocessing) {

  /** Where an image encoder's embedding is read. */
  public enum FeatureSource {
    /** A declared output of the graph, {@code [N, D]}. */
    GRAPH_OUTPUT,
    /**
     * The output of the graph's last {@code GlobalAveragePool} node, {@code [N, D, 1, 1]}: the global
     * features of a classification CNN, before its classifier. The loader exposes it as an extra graph
     * output (see {@link OnnxFeatureExport}).
     */
    LAST_GLOBAL_AVERAGE_POOL
  }
}
