package imgsearch.model;

import imgsearch.model.ImageEncoderSpec.FeatureSource;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.model.OnnxGraph.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds an ONNX graph's signature, as read from the file, to the catalogue's description of an
 * encoder: which tensor gets the image or the tokens, what the other inputs get, and which tensor holds
 * the embedding.
 *
 * <p>The catalogue's names are used when the graph has them. Otherwise tensors are bound by position and
 * shape: the image input is the first float {@code [N,3,H,W]} input, the token ids the first int64
 * {@code [N,L]} input and the attention mask the second; the embedding is the first float {@code [N,D]}
 * output (one declaring D itself before one leaving it open). Other inputs: one with a default (an
 * initializer) is left at it; a text input named like {@code token_type_ids} gets zeros, one named like
 * {@code position_ids} gets {@code 0..L-1}; anything else is an error. A graph that fits neither way is a
 * {@link ModelUnavailableException} naming the file, what was expected and what was found.
 */
public final class ModelSignatures {

  private ModelSignatures() {}

  /** What a graph input receives. */
  public enum Feed {
    /** The preprocessed images, float {@code [N,3,H,W]}. */
    IMAGE("the images"),
    /** The token ids, int64 {@code [N,L]}. */
    TOKEN_IDS("the token ids"),
    /** 1 for real tokens, 0 for padding, int64 {@code [N,L]}. */
    ATTENTION_MASK("the attention mask"),
    /** Zeros (a single segment), int64 {@code [N,L]}. */
    ZEROS("zeros (token types)"),
    /** {@code 0..L-1}, int64 {@code [N,L]}. */
    POSITIONS("the positions 0..L-1");

    private final String label;

    Feed(String label) {
      this.label = label;
    }

    /** E.g. {@code the token ids}. */
    public String label() {
      return label;
    }
  }

  /**
   * One graph input and what it receives.
   *
   * @param byName whether it was recognised by its name (the catalogue's, or a conventional one such as
   *     {@code attention_mask} or {@code token_type_ids}); else by position and shape
   */
  public record Input(String name, Feed feed, boolean byName) {}

  /**
   * How to run an image encoder.
   *
   * @param input the image input
   * @param outputName the tensor holding the embedding
   * @param outputByName whether the output was found by the catalogue's name (or, for features read
   *     from a {@code GlobalAveragePool}, by that node)
   * @param exposeOutput whether {@code outputName} is an intermediate tensor that must be made a graph
   *     output first (see {@link OnnxFeatureExport})
   * @param maxBatch images per call the graph accepts: 1 when it fixes its batch to 1 (see
   *     {@code batchNote}), else 0 (any)
   * @param batchNote why batches are limited to one image, or {@code null}
   * @param defaults inputs left at their default value
   */
  public record ImageBinding(Input input, String outputName, boolean outputByName, boolean exposeOutput,
      int maxBatch, String batchNote, List<String> defaults) {

    public ImageBinding {
      defaults = List.copyOf(defaults);
    }

    public String inputName() {
      return input.name();
    }

    /** One line for the log and {@code models verify}. */
    public String describe() {
      StringBuilder sb = new StringBuilder(ModelSignatures.describe(List.of(input), defaults));
      sb.append("; embedding from ").append(outputName).append(exposeOutput
          ? " (the last GlobalAveragePool, exposed as an extra output)"
          : outputByName ? " (by name)" : " (by position and shape)");
      if (batchNote != null) {
        sb.append("; one image per call: ").append(batchNote);
      }
      return sb.toString();
    }
  }

  /**
   * How to run a text encoder.
   *
   * @param inputs every graph input without a default, in graph order, with what it receives
   * @param outputName the tensor holding the embedding
   * @param outputByName whether the output was found by the catalogue's name
   * @param defaults inputs left at their default value
   */
  public record TextBinding(List<Input> inputs, String outputName, boolean outputByName, List<String> defaults) {

    public TextBinding {
      inputs = List.copyOf(inputs);
      defaults = List.copyOf(defaults);
    }

    /** The input fed with {@code feed}, if any. */
    public Optional<Input> input(Feed feed) {
      return inputs.stream().filter(i -> i.feed() == feed).findFirst();
    }

    /** One line for the log and {@code models verify}. */
    public String describe() {
      return ModelSignatures.describe(inputs, defaults) + "; embedding from " + outputName
          + (outputByName ? " (by name)" : " (by position and shape)");
    }
  }

  /** Binds the image encoder of {@code model} to {@code graph}, read from {@code file}. */
  public static ImageBinding bindImage(ModelSpec model, OnnxGraph graph, Path file) {
    ImageEncoderSpec spec = model.image();
    int crop = spec.preprocessing().crop();
    String expected = String.format(Locale.ROOT, "(%s float[N,3,%d,%d]) -> (%s)", spec.inputName(), crop, crop,
        spec.output() == FeatureSource.GRAPH_OUTPUT
            ? spec.outputName() + " float[N," + model.dimension() + "]"
            : model.dimension() + " features from a GlobalAveragePool node");
    Optional<Value> named = graph.input(spec.inputName());
    Value image = named.or(() -> graph.inputs().stream().filter(v -> isImage(v, crop)).findFirst())
        .orElseThrow(() -> mismatch(model, "image", file, expected, graph, "no float [N,3," + crop + "," + crop
            + "] input"));
    if (!isImage(image, crop)) {
      throw mismatch(model, "image", file, expected, graph, "input " + image.describe() + " cannot take "
          + crop + "x" + crop + " RGB images");
    }
    for (Value other : graph.inputs()) {
      if (other != image) {
        throw mismatch(model, "image", file, expected, graph, "input " + other.describe()
            + " has no default and imgsearch has nothing to feed it");
      }
    }
    Input input = new Input(image.name(), Feed.IMAGE, named.isPresent());
    List<String> defaults = graph.defaulted().stream().map(Value::name).toList();
    if (spec.output() == FeatureSource.LAST_GLOBAL_AVERAGE_POOL) {
      String pooled = graph.lastOutputOf("GlobalAveragePool")
          .orElseThrow(() -> mismatch(model, "image", file, expected, graph, "no GlobalAveragePool node"));
      String note = batchOfOne(graph, image, pooled);
      return new ImageBinding(input, pooled, true, graph.output(pooled).isEmpty(), note == null ? 0 : 1, note,
          defaults);
    }
    Optional<Value> namedOutput = graph.output(spec.outputName());
    Value output = embeddingOutput(graph, spec.outputName(), model.dimension())
        .orElseThrow(() -> mismatch(model, "image", file, expected, graph, namedOutput.isPresent()
            ? "output " + namedOutput.get().describe() + " is not float [N," + model.dimension() + "]"
            : "no float [N," + model.dimension() + "] output"));
    String note = batchOfOne(graph, image, output.name());
    return new ImageBinding(input, output.name(), namedOutput.isPresent(), false, note == null ? 0 : 1, note,
        defaults);
  }

  /** Binds the text encoder of {@code model} to {@code graph}, read from {@code file}. */
  public static TextBinding bindText(ModelSpec model, OnnxGraph graph, Path file) {
    TextEncoderSpec spec = model.text();
    int context = spec.contextLength();
    String expected = String.format(Locale.ROOT, "(%s int64[N,%d]%s) -> (%s float[N,%d])", spec.inputIdsName(),
        context, spec.attentionMaskName() == null ? "" : ", optional " + spec.attentionMaskName() + " int64[N,"
            + context + "]",
        spec.outputName(), model.dimension());
    for (Value v : graph.inputs()) {
      if (!isTokens(v, context)) {
        throw mismatch(model, "text", file, expected, graph, "input " + v.describe() + " is not int64 [N," + context
            + "]");
      }
    }
    // Ids: by name, else the first input no name marks as something else.
    Optional<Value> namedIds = graph.input(spec.inputIdsName());
    Value ids = namedIds.or(() -> graph.inputs().stream().filter(v -> conventionalFeed(v.name(), spec) == null)
        .findFirst()).orElseThrow(() -> mismatch(model, "text", file, expected, graph, "no input for the token ids"));
    List<Input> inputs = new ArrayList<>();
    boolean haveMask = false;
    for (Value v : graph.inputs()) {
      if (v == ids) {
        inputs.add(new Input(v.name(), Feed.TOKEN_IDS, namedIds.isPresent()));
        continue;
      }
      Feed feed = conventionalFeed(v.name(), spec);
      boolean byName = feed != null;
      if (feed == null && !haveMask) {
        feed = Feed.ATTENTION_MASK; // the second token input, by position
      }
      if (feed == null || feed == Feed.ATTENTION_MASK && haveMask) {
        throw mismatch(model, "text", file, expected, graph, "input " + v.describe()
            + " has no default and imgsearch has nothing to feed it");
      }
      haveMask |= feed == Feed.ATTENTION_MASK;
      inputs.add(new Input(v.name(), feed, byName));
    }
    Optional<Value> namedOutput = graph.output(spec.outputName());
    Value output = embeddingOutput(graph, spec.outputName(), model.dimension())
        .orElseThrow(() -> mismatch(model, "text", file, expected, graph, namedOutput.isPresent()
            ? "output " + namedOutput.get().describe() + " is not float [N," + model.dimension() + "]"
            : "no float [N," + model.dimension() + "] output"));
    return new TextBinding(inputs, output.name(), namedOutput.isPresent(),
        graph.defaulted().stream().map(Value::name).toList());
  }

  /** What an extra text input's name says it wants, or {@code null} when its name says nothing. */
  private static Feed conventionalFeed(String name, TextEncoderSpec spec) {
    String n = name.toLowerCase(Locale.ROOT);
    if (name.equals(spec.attentionMaskName()) || n.contains("mask")) {
      return Feed.ATTENTION_MASK;
    }
    if (n.contains("token_type") || n.contains("segment")) {
      return Feed.ZEROS;
    }
    if (n.contains("position")) {
      return Feed.POSITIONS;
    }
    return null;
  }

  private static boolean isImage(Value v, int crop) {
    return v.elementType() == OnnxGraph.FLOAT && (v.rank() == -1 || v.rank() == 4 && v.axisAccepts(1, 3)
        && v.axisAccepts(2, crop) && v.axisAccepts(3, crop) && (v.dims().get(0) == -1 || v.dims().get(0) == 1));
  }

  private static boolean isTokens(Value v, int context) {
    return v.elementType() == OnnxGraph.INT64 && (v.rank() == -1 || v.rank() == 2 && v.axisAccepts(1, context));
  }

  /**
   * Why the graph can only take one image per call, or {@code null} when it takes batches: its image
   * input's batch axis is 1, the embedding tensor is declared with batch 1, or most of its annotated
   * intermediate tensors are (ONNX Runtime then warns on every larger batch, and shapes it folded from
   * those annotations may be wrong).
   */
  static String batchOfOne(OnnxGraph graph, Value image, String embedding) {
    if (image.rank() == 4 && image.dims().get(0) == 1) {
      return "its input " + image.name() + " has batch size 1";
    }
    Optional<Value> declared = graph.declared(embedding);
    if (declared.isPresent() && declared.get().rank() >= 1 && declared.get().dims().get(0) == 1) {
      return "it declares " + embedding + " with batch size 1";
    }
    List<Value> annotated = graph.valueInfo().stream().filter(v -> v.rank() >= 2).toList();
    long batchOne = annotated.stream().filter(v -> v.dims().get(0) == 1).count();
    if (!annotated.isEmpty() && 2 * batchOne > annotated.size()) {
      return String.format(Locale.ROOT, "it annotates %d of its %d intermediate tensors with batch size 1", batchOne,
          annotated.size());
    }
    return null;
  }

  /** The named float [N, D] output, or else the first output shaped like one, declared D first. */
  private static Optional<Value> embeddingOutput(OnnxGraph graph, String name, int dimension) {
    Optional<Value> named = graph.output(name);
    if (named.isPresent()) {
      return named.filter(v -> isEmbedding(v, dimension));
    }
    // The loader checks an open D against the real length on the first call.
    return graph.outputs().stream().filter(v -> v.rank() == 2 && isEmbedding(v, dimension))
        .min(Comparator.comparingInt(v -> v.dims().get(1) == dimension ? 0 : 1));
  }

  private static boolean isEmbedding(Value v, int dimension) {
    return v.elementType() == OnnxGraph.FLOAT && (v.rank() == -1 || v.rank() == 2 && v.axisAccepts(1, dimension));
  }

  private static String describe(List<Input> inputs, List<String> defaults) {
    List<String> parts = new ArrayList<>();
    for (Input i : inputs) {
      parts.add(i.name() + " <- " + i.feed().label() + (i.byName() ? " (by name)" : " (by position and shape)"));
    }
    for (String d : defaults) {
      parts.add(d + " left at its default");
    }
    return String.join(", ", parts);
  }

  private static ModelUnavailableException mismatch(ModelSpec model, String part, Path file, String expected,
      OnnxGraph graph, String problem) {
    return new ModelUnavailableException(Reason.SIGNATURE, model.name(), String.format(Locale.ROOT,
        "%s is not the %s encoder the catalogue describes (%s): expected %s, found %s. Is it the right file?",
        file, part, problem, expected, graph.describeSignature()));
  }
}
