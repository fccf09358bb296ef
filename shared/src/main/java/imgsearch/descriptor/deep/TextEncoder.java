package imgsearch.descriptor.deep;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import imgsearch.model.ModelSignatures;
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

/**
 * A loaded text encoder with the model's own tokenizer (DJL's binding of HuggingFace tokenizers,
 * reading the model's {@code tokenizer.json}); returns L2-normalised embeddings in the image space.
 */
final class TextEncoder implements AutoCloseable {

  private final ModelSpec spec;
  private final HuggingFaceTokenizer tokenizer;
  private final OnnxModel model;
  private final TextBinding binding;

  private TextEncoder(ModelSpec spec, HuggingFaceTokenizer tokenizer, OnnxModel model, TextBinding binding) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.model = model;
    this.binding = binding;
  }

  static TextEncoder load(ModelSpec spec, LocalFile modelFile, LocalFile tokenizerFile) {
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
    try {
      return new TextEncoder(spec, tokenizer, OnnxModel.load(modelFile.path(), binding.outputName(), spec.name()),
          binding);
    } catch (RuntimeException e) {
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
    TextTokens tokens = tokenize(text);
    int context = spec.text().contextLength();
    List<OnnxModel.Tensor> inputs = new ArrayList<>(2);
    inputs.add(OnnxModel.Tensor.longs(binding.inputIdsName(), tokens.ids(), 1, context));
    if (binding.maskName() != null) {
      inputs.add(OnnxModel.Tensor.longs(binding.maskName(), tokens.mask(), 1, context));
    }
    OnnxModel.Output out = model.run(inputs);
    if (out.data().length != spec.dimension()) {
      throw new ModelUnavailableException(Reason.SIGNATURE, spec.name(), "its text encoder returns "
          + out.data().length + " values per text, not the " + spec.dimension() + " of its images. Is it the right file?");
    }
    return Vectors.normalize(out.data().clone());
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
