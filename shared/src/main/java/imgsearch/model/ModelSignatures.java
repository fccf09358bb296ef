package imgsearch.model;

import imgsearch.model.ImageEncoderSpec.FeatureSource;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.model.OnnxGraph.Value;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an ONNX graph against the catalogue's description of an encoder and says which tensors to
 * feed and read. Names are matched first; an export whose only input (or only output of the right
 * shape) has another name is accepted, since the shapes and types are what make it the right model.
 */
public final class ModelSignatures {

  private ModelSignatures() {}

  /**
   * How to run an image encoder.
   *
   * @param inputName the image input
   * @param outputName the tensor holding the embedding
   * @param exposeOutput whether {@code outputName} is an intermediate tensor that must be made a graph
   *     output first (see {@link OnnxFeatureExport})
   * @param maxBatch images per call the graph accepts: 1 when its batch axis is fixed to 1, else 0
   *     (any)
   */
  public record ImageBinding(String inputName, String outputName, boolean exposeOutput, int maxBatch) {}

  /**
   * How to run a text encoder.
   *
   * @param maskName the attention-mask input, or {@code null} when the graph has none
   */
  public record TextBinding(String inputIdsName, String maskName, String outputName) {}

  /** Binds the image encoder of {@code model} to {@code graph}, read from {@code file}. */
  public static ImageBinding bindImage(ModelSpec model, OnnxGraph graph, Path file) {
    ImageEncoderSpec spec = model.image();
    int crop = spec.preprocessing().crop();
    String expected = String.format(Locale.ROOT, "(%s float[N,3,%d,%d]) -> (%s)", spec.inputName(), crop, crop,
        spec.output() == FeatureSource.GRAPH_OUTPUT
            ? spec.outputName() + " float[N," + model.dimension() + "]"
            : model.dimension() + " features from a GlobalAveragePool node");
    Value input = graph.input(spec.inputName())
        .or(() -> graph.inputs().size() == 1 ? Optional.of(graph.inputs().get(0)) : Optional.empty())
        .orElseThrow(() -> mismatch(model, "image", file, expected, graph));
    boolean inputOk = graph.inputs().size() == 1 && input.elementType() == OnnxGraph.FLOAT
        && (input.rank() == -1 || input.rank() == 4 && input.axisAccepts(1, 3) && input.axisAccepts(2, crop)
            && input.axisAccepts(3, crop) && (input.dims().get(0) == -1 || input.dims().get(0) == 1));
    if (!inputOk) {
      throw mismatch(model, "image", file, expected, graph);
    }
    int maxBatch = input.rank() == 4 && input.dims().get(0) == 1 ? 1 : 0;
    if (spec.output() == FeatureSource.LAST_GLOBAL_AVERAGE_POOL) {
      String pooled = graph.lastOutputOf("GlobalAveragePool")
          .orElseThrow(() -> mismatch(model, "image", file, expected, graph));
      return new ImageBinding(input.name(), pooled, graph.output(pooled).isEmpty(), maxBatch);
    }
    Value output = embeddingOutput(graph, spec.outputName(), model.dimension())
        .orElseThrow(() -> mismatch(model, "image", file, expected, graph));
    return new ImageBinding(input.name(), output.name(), false, maxBatch);
  }

  /** Binds the text encoder of {@code model} to {@code graph}, read from {@code file}. */
  public static TextBinding bindText(ModelSpec model, OnnxGraph graph, Path file) {
    TextEncoderSpec spec = model.text();
    int context = spec.contextLength();
    String expected = String.format(Locale.ROOT, "(%s int64[N,%d]%s) -> (%s float[N,%d])", spec.inputIdsName(),
        context, spec.attentionMaskName() == null ? "" : ", optional " + spec.attentionMaskName() + " int64[N," + context + "]",
        spec.outputName(), model.dimension());
    Optional<Value> mask = spec.attentionMaskName() == null ? Optional.empty() : graph.input(spec.attentionMaskName());
    List<Value> others = graph.inputs().stream()
        .filter(v -> mask.isEmpty() || !v.name().equals(mask.get().name())).toList();
    Value ids = graph.input(spec.inputIdsName())
        .or(() -> others.size() == 1 ? Optional.of(others.get(0)) : Optional.empty())
        .orElseThrow(() -> mismatch(model, "text", file, expected, graph));
    boolean ok = others.size() == 1 && tokenTensor(ids, context) && mask.map(m -> tokenTensor(m, context)).orElse(true);
    if (!ok) {
      throw mismatch(model, "text", file, expected, graph);
    }
    Value output = embeddingOutput(graph, spec.outputName(), model.dimension())
        .orElseThrow(() -> mismatch(model, "text", file, expected, graph));
    return new TextBinding(ids.name(), mask.map(Value::name).orElse(null), output.name());
  }

  private static boolean tokenTensor(Value v, int context) {
    return v.elementType() == OnnxGraph.INT64 && (v.rank() == -1 || v.rank() == 2 && v.axisAccepts(1, context));
  }

  /** The named float [N, D] output, or else the only output shaped like one. */
  private static Optional<Value> embeddingOutput(OnnxGraph graph, String name, int dimension) {
    Optional<Value> named = graph.output(name);
    if (named.isPresent()) {
      return named.filter(v -> isEmbedding(v, dimension));
    }
    // Another export's name: the one float [N, D] output (D declared or left open; the loader checks
    // the actual length on the first call).
    List<Value> candidates = graph.outputs().stream()
        .filter(v -> v.rank() == 2 && v.axisAccepts(1, dimension) && v.elementType() == OnnxGraph.FLOAT).toList();
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  private static boolean isEmbedding(Value v, int dimension) {
    return v.elementType() == OnnxGraph.FLOAT && (v.rank() == -1 || v.rank() == 2 && v.axisAccepts(1, dimension));
  }

  private static ModelUnavailableException mismatch(ModelSpec model, String part, Path file, String expected,
      OnnxGraph graph) {
    return new ModelUnavailableException(Reason.SIGNATURE, model.name(), String.format(Locale.ROOT,
        "%s is not the %s encoder the catalogue describes: it should be %s but it is %s. Is it the right file?",
        file, part, expected, graph.describeSignature()));
  }
}
