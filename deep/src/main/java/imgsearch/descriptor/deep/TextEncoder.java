package imgsearch.descriptor.deep;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import imgsearch.model.ExecutionProviders;
import imgsearch.model.ModelSignatures;
import imgsearch.model.ModelSignatures.Input;
import imgsearch.model.ModelSignatures.TextBinding;
import imgsearch.model.ModelSpec;
import imgsearch.model.ModelStore.LocalFile;
import imgsearch.model.ModelUnavailableException;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.model.OnnxGraph;
import imgsearch.model.OnnxModel;
import imgsearch.model.TextEncoderSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded text encoder with the model's own tokenizer (DJL's binding of HuggingFace tokenizers,
 * reading the model's {@code tokenizer.json}); returns L2-normalised embeddings in the image space.
 */
final class TextEncoder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);

  private final ModelSpec spec;
  private final HuggingFaceTokenizer tokenizer;
  private final OnnxModel model;
  private final TextBinding binding;
  private final String signature;

  private TextEncoder(ModelSpec spec, HuggingFaceTokenizer tokenizer, OnnxModel model, TextBinding binding,
      String signature) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.model = model;
    this.binding = binding;
    this.signature = signature;
  }

  /** Checks the file against the catalogue, loads it with its tokenizer and logs once what was bound. */
  static TextEncoder load(ModelSpec spec, LocalFile modelFile, LocalFile tokenizerFile,
      ExecutionProviders providers) {
    OnnxGraph graph = ImageEncoder.readGraph(spec, modelFile.path());
    TextBinding binding = ModelSignatures.bindText(spec, graph, modelFile.path());
    HuggingFaceTokenizer tokenizer;
    try {
      // Special tokens on; truncation and padding off: TextTokens fits the ids to the context itself.
      tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile.path(),
          Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false"));
    } catch (IOException | RuntimeException e) {
      throw new ModelUnavailableException(Reason.LOAD, spec.name(), "cannot read the tokenizer "
          + tokenizerFile.path() + " (" + e.getMessage() + "). It should be the model's HuggingFace tokenizer.json.",
          e);
    }
    OnnxModel model = null;
    try {
      model = OnnxModel.load(modelFile.path(), binding.outputName(), spec.name(), providers);
      ImageEncoder.checkSessionInputs(spec, modelFile.path(), model,
          binding.inputs().stream().map(Input::name).collect(Collectors.toSet()));
      LOG.info("{} text encoder {}: {}; on {}", spec.name(), modelFile.path().getFileName(), binding.describe(),
          model.provider().describe());
      return new TextEncoder(spec, tokenizer, model, binding, graph.describeSignature());
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      tokenizer.close();
      throw e;
    }
  }

  /** The tokens the model sees for {@code text}. */
  TextTokens tokenize(String text) {
    TextEncoderSpec t = spec.text();
    return TextTokens.fit(tokenizer.encode(text).getIds(), t.contextLength(), t.padId());
  }

  /** Unit-length embedding of {@code text}. */
  float[] embed(String text) {
    float[] raw = embedRaw(text);
    return Vectors.normalize(raw);
  }

  /** The model's output for {@code text}, before normalisation. */
  float[] embedRaw(String text) {
    TextTokens tokens = tokenize(text);
    int context = spec.text().contextLength();
    List<OnnxModel.Tensor> inputs = new ArrayList<>(binding.inputs().size());
    for (Input input : binding.inputs()) {
      long[] values = switch (input.feed()) {
        case TOKEN_IDS -> tokens.ids();
        case ATTENTION_MASK -> tokens.mask();
        case ZEROS -> new long[context];
        case POSITIONS -> positions(context);
        case IMAGE -> throw new IllegalStateException("an image input in a text encoder");
      };
      inputs.add(OnnxModel.Tensor.longs(input.name(), values, 1, context));
    }
    OnnxModel.Output out = model.run(inputs);
    if (out.data().length != spec.dimension()) {
      throw new ModelUnavailableException(Reason.SIGNATURE, spec.name(), "its text encoder returns "
          + out.data().length + " values per text, not the " + spec.dimension() + " of its images. Is it the right file?");
    }
    return out.data().clone();
  }

  /** The execution provider the model runs on. */
  ExecutionProviders.Choice provider() {
    return model.provider();
  }

  /** The graph's signature as read from the file. */
  String signature() {
    return signature;
  }

  TextBinding binding() {
    return binding;
  }

  private static long[] positions(int context) {
    long[] p = new long[context];
    for (int i = 0; i < context; i++) {
      p[i] = i;
    }
    return p;
  }

  @Override
  public void close() {
    try {
      model.close();
    } finally {
      tokenizer.close();
    }
  }
}
