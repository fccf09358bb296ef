package imgsearch.model;

/**
 * The text half of a text-capable model (CLIP): its ONNX file, its tokenizer and the names in its
 * signature.
 *
 * @param file the ONNX file
 * @param tokenizer the HuggingFace {@code tokenizer.json} the model was trained with
 * @param inputIdsName name of the int64 {@code [N, contextLength]} token-id input
 * @param attentionMaskName name of the int64 attention-mask input, fed when the model declares it
 * @param outputName name of the float {@code [N, D]} output
 * @param contextLength tokens per text, special tokens included (CLIP: 77); longer texts are cut and
 *     keep their end-of-text token, shorter ones are padded
 * @param padId token id written into padded positions (masked out by the attention mask)
 */
public record TextEncoderSpec(ModelFile file, ModelFile tokenizer, String inputIdsName, String attentionMaskName,
    String outputName, int contextLength, int padId) {

  public TextEncoderSpec {
    if (contextLength < 2) {
      throw new IllegalArgumentException("context length must leave room for the special tokens");
    }
  }
}
