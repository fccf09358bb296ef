package imgsearch.testing.deep;

import imgsearch.file.Sha256;
import imgsearch.model.ImageEncoderSpec;
import imgsearch.model.ModelCatalog;
import imgsearch.model.ModelFile;
import imgsearch.model.ModelSpec;
import imgsearch.model.TextEncoderSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Tiny stand-ins for the catalogued models, with the real exports' input and output names, types and
 * shapes, so the whole deep path runs in tests without the real weights.
 *
 * <ul>
 *   <li>CLIP vision: {@code pixel_values float[N,3,224,224] -> image_embeds float[N,512]} (plus a
 *       {@code last_hidden_state} output, as the real export has): the embedding's first three values
 *       are the mean of each normalised colour channel, the fourth is 0.1, the rest 0.
 *   <li>CLIP text: {@code input_ids, attention_mask int64[N,77] -> text_embeds float[N,512]}: the sum of
 *       the unmasked tokens' rows of a table in which "red", "green" and "blue" hold the channel means of
 *       a pure red, green and blue image, so "a red fox" lands next to red images.
 *   <li>ResNet-50: {@code data float[N,3,224,224]}, an 8x8 average pool, a 1x1 convolution to 2048
 *       channels, a {@code GlobalAveragePool} and a small classifier {@code resnetv17_dense0_fwd float[N,10]}.
 * </ul>
 *
 * <p>{@link #variantFiles()} holds stand-ins whose signatures differ from the catalogue's, as other exports'
 * do (other names, extra inputs, batch-1 shape annotations), for the binding rules.
 */
public final class TinyModels {

  public static final int CLIP_DIM = 512;
  public static final int RESNET_DIM = 2048;
  public static final int CONTEXT = 77;

  /** The tiny tokenizer's vocabulary; id 1 is the pad id, as in CLIP's config. */
  public static final List<String> VOCAB = List.of("!", "\"", "a", "red", "green", "blue", "fox", "in", "snow",
      "photo", "of", "<|startoftext|>", "<|endoftext|>", "white");
  public static final int START = 11;
  public static final int END = 12;
  public static final int PAD = 1;

  private TinyModels() {}

  /** CLIP-like image encoder. */
  public static byte[] clipVision() {
    return new OnnxWriter()
        .input("pixel_values", OnnxWriter.FLOAT, "batch_size", 3, 224, 224)
        .weights("proj_w", projectionWeights(), 3, CLIP_DIM)
        .weights("proj_b", projectionBias(), CLIP_DIM)
        .node("GlobalAveragePool", List.of("pixel_values"), List.of("pooled"))
        .node("Flatten", List.of("pooled"), List.of("flat"), "axis", 1)
        .node("Gemm", List.of("flat", "proj_w", "proj_b"), List.of("image_embeds"))
        .node("Identity", List.of("pooled"), List.of("last_hidden_state"))
        .output("image_embeds", OnnxWriter.FLOAT, "batch_size", CLIP_DIM)
        .output("last_hidden_state", OnnxWriter.FLOAT, "batch_size", 3, 1, 1)
        .toBytes();
  }

  /** CLIP-like text encoder. */
  public static byte[] clipText() {
    return new OnnxWriter()
        .input("input_ids", OnnxWriter.INT64, "batch_size", "sequence_length")
        .input("attention_mask", OnnxWriter.INT64, "batch_size", "sequence_length")
        .apply(w -> maskedTokenSum(w, "input_ids", "attention_mask", "text_embeds"))
        .output("text_embeds", OnnxWriter.FLOAT, "batch_size", CLIP_DIM)
        .toBytes();
  }

  /**
   * The CLIP-like image encoder under other names, laid out as a different export might be: input
   * {@code image}, a first output {@code hidden float[N,3]} (not an embedding) and the embedding as the
   * second output {@code embedding float[N,512]}. Same numbers as {@link #clipVision()}.
   */
  public static byte[] clipVisionRenamed() {
    return new OnnxWriter()
        .input("image", OnnxWriter.FLOAT, "N", 3, "height", "width")
        .weights("proj_w", projectionWeights(), 3, CLIP_DIM)
        .weights("proj_b", projectionBias(), CLIP_DIM)
        .node("GlobalAveragePool", List.of("image"), List.of("pooled"))
        .node("Flatten", List.of("pooled"), List.of("hidden"), "axis", 1)
        .node("Gemm", List.of("hidden", "proj_w", "proj_b"), List.of("embedding"))
        .output("hidden", OnnxWriter.FLOAT, "N", 3)
        .output("embedding", OnnxWriter.FLOAT, "N", CLIP_DIM)
        .toBytes();
  }

  /**
   * The CLIP-like text encoder under other names, bound by position: {@code tokens} and {@code attn},
   * int64 {@code [N,77]}, to {@code sentence float[N,512]}. Same numbers as {@link #clipText()}.
   */
  public static byte[] clipTextRenamed() {
    return new OnnxWriter()
        .input("tokens", OnnxWriter.INT64, "N", CONTEXT)
        .input("attn", OnnxWriter.INT64, "N", CONTEXT)
        .apply(w -> maskedTokenSum(w, "tokens", "attn", "sentence"))
        .output("sentence", OnnxWriter.FLOAT, "N", CLIP_DIM)
        .toBytes();
  }

  /**
   * The CLIP-like text encoder with the extra inputs other exports have: {@code token_type_ids} and
   * {@code position_ids} (int64 {@code [N,L]}) and {@code scale} (float {@code [1]}, with a default of 1).
   * It gives {@link #clipText()}'s numbers only when the token types are all 0 and the positions are
   * {@code 0..76}: anything else moves the embedding far off.
   */
  public static byte[] clipTextWithExtras() {
    float[] offset = new float[CLIP_DIM];
    java.util.Arrays.fill(offset, 100f);
    return new OnnxWriter()
        .input("input_ids", OnnxWriter.INT64, "batch_size", "sequence_length")
        .input("token_type_ids", OnnxWriter.INT64, "batch_size", "sequence_length")
        .input("attention_mask", OnnxWriter.INT64, "batch_size", "sequence_length")
        .input("position_ids", OnnxWriter.INT64, "batch_size", "sequence_length")
        .input("scale", OnnxWriter.FLOAT, 1)
        .weights("scale", new float[] {1f}, 1)
        .weights("offset", offset, CLIP_DIM)
        .weights("position_sum", new float[] {CONTEXT * (CONTEXT - 1) / 2f}, 1)
        .apply(w -> maskedTokenSum(w, "input_ids", "attention_mask", "summed"))
        // token types: sum over the sequence, [N,1]; positions: their sum minus 0+1+...+76, [N,1]
        .node("Cast", List.of("token_type_ids"), List.of("types_f"), "to", OnnxWriter.FLOAT)
        .node("ReduceSum", List.of("types_f", "axis1"), List.of("types_sum"), "keepdims", 1)
        .node("Cast", List.of("position_ids"), List.of("positions_f"), "to", OnnxWriter.FLOAT)
        .node("ReduceSum", List.of("positions_f", "axis1"), List.of("positions_sum"), "keepdims", 1)
        .node("Sub", List.of("positions_sum", "position_sum"), List.of("positions_off"))
        .node("Add", List.of("types_sum", "positions_off"), List.of("wrong"))
        .node("Mul", List.of("wrong", "offset"), List.of("penalty"))
        .node("Add", List.of("summed", "penalty"), List.of("unscaled"))
        .node("Mul", List.of("unscaled", "scale"), List.of("text_embeds"))
        .output("text_embeds", OnnxWriter.FLOAT, "batch_size", CLIP_DIM)
        .toBytes();
  }

  /**
   * {@link #resnet50()} as a superseded export wrote it: every intermediate tensor annotated with batch
   * size 1 in {@code value_info}, though the input and output declare an open batch.
   */
  public static byte[] resnet50BatchOne() {
    return resnetGraph()
        .valueInfo("blocks", OnnxWriter.FLOAT, 1, 3, 28, 28)
        .valueInfo("features", OnnxWriter.FLOAT, 1, RESNET_DIM, 28, 28)
        .valueInfo("resnetv17_pool1_fwd", OnnxWriter.FLOAT, 1, RESNET_DIM, 1, 1)
        .valueInfo("flat", OnnxWriter.FLOAT, 1, RESNET_DIM)
        .toBytes();
  }

  /** The image encoders' projection: channel c's mean to embedding dimension c, plus a constant in dimension 3. */
  private static float[] projectionWeights() {
    float[] w = new float[3 * CLIP_DIM];
    for (int c = 0; c < 3; c++) {
      w[c * CLIP_DIM + c] = 1f;
    }
    return w;
  }

  private static float[] projectionBias() {
    float[] b = new float[CLIP_DIM];
    b[3] = 0.1f;
    return b;
  }

  /** The text encoders' core: the token table's rows of {@code ids}, summed where {@code mask} is 1, as {@code out}. */
  private static OnnxWriter maskedTokenSum(OnnxWriter w, String ids, String mask, String out) {
    return w.weights("token_table", tokenTable(), VOCAB.size(), CLIP_DIM)
        .longs("axis2", new long[] {2}, 1)
        .longs("axis1", new long[] {1}, 1)
        .node("Gather", List.of("token_table", ids), List.of("tokens"))
        .node("Cast", List.of(mask), List.of("mask_f"), "to", OnnxWriter.FLOAT)
        .node("Unsqueeze", List.of("mask_f", "axis2"), List.of("mask_3d"))
        .node("Mul", List.of("tokens", "mask_3d"), List.of("masked"))
        .node("ReduceSum", List.of("masked", "axis1"), List.of(out), "keepdims", 0);
  }

  /** The token table of the text encoders: colour words hold their colour's CLIP channel means. */
  private static float[] tokenTable() {
    float[] table = new float[VOCAB.size() * CLIP_DIM];
    for (int t = 0; t < VOCAB.size(); t++) {
      table[t * CLIP_DIM + 3] = 0.05f;
    }
    putColour(table, VOCAB.indexOf("red"), 255, 0, 0);
    putColour(table, VOCAB.indexOf("green"), 0, 255, 0);
    putColour(table, VOCAB.indexOf("blue"), 0, 0, 255);
    putColour(table, VOCAB.indexOf("white"), 255, 255, 255);
    return table;
  }

  /** ResNet-like classifier whose global features come from a GlobalAveragePool. */
  public static byte[] resnet50() {
    return resnetGraph().toBytes();
  }

  private static OnnxWriter resnetGraph() {
    float[] conv = new float[RESNET_DIM * 3];
    for (int k = 0; k < RESNET_DIM; k++) {
      for (int c = 0; c < 3; c++) {
        conv[k * 3 + c] = (float) Math.sin(0.37 * k + 1.3 * c + 0.5);
      }
    }
    float[] dense = new float[RESNET_DIM * 10];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (float) Math.cos(0.01 * i);
    }
    return new OnnxWriter()
        .input("data", OnnxWriter.FLOAT, "N", 3, 224, 224)
        .weights("conv_w", conv, RESNET_DIM, 3, 1, 1)
        .weights("dense_w", dense, RESNET_DIM, 10)
        // Averaging 8 x 8 blocks first keeps the 2048-channel convolution cheap; the pooled features are
        // the same (every step is linear).
        .node("AveragePool", List.of("data"), List.of("blocks"), "kernel_shape", new long[] {8, 8}, "strides",
            new long[] {8, 8})
        .node("Conv", List.of("blocks", "conv_w"), List.of("features"))
        .node("GlobalAveragePool", List.of("features"), List.of("resnetv17_pool1_fwd"))
        .node("Flatten", List.of("resnetv17_pool1_fwd"), List.of("flat"), "axis", 1)
        .node("MatMul", List.of("flat", "dense_w"), List.of("resnetv17_dense0_fwd"))
        .output("resnetv17_dense0_fwd", OnnxWriter.FLOAT, "N", 10);
  }

  /** A HuggingFace tokenizer.json: lower-casing, whitespace splitting, word-level vocabulary, CLIP's start and end tokens. */
  public static String clipTokenizerJson() {
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < VOCAB.size(); i++) {
      vocab.append(i > 0 ? ", " : "").append(jsonString(VOCAB.get(i))).append(": ").append(i);
    }
    String start = special(START);
    String end = special(END);
    return """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [%s, %s],
          "normalizer": {"type": "Lowercase"},
          "pre_tokenizer": {"type": "Whitespace"},
          "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<|startoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<|startoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "<|endoftext|>", "type_id": 1}}],
            "special_tokens": {
              "<|startoftext|>": {"id": "<|startoftext|>", "ids": [%d], "tokens": ["<|startoftext|>"]},
              "<|endoftext|>": {"id": "<|endoftext|>", "ids": [%d], "tokens": ["<|endoftext|>"]}
            }
          },
          "decoder": null,
          "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "<|endoftext|>"}
        }
        """.formatted(start, end, START, END, vocab);
  }

  /** The files of the standard catalogue, as {@code --model-dir} expects them. */
  public static Map<String, byte[]> standardFiles() {
    return Map.of(
        "clip-vit-b32/vision.onnx", clipVision(),
        "clip-vit-b32/text.onnx", clipText(),
        "clip-vit-b32/tokenizer.json", clipTokenizerJson().getBytes(StandardCharsets.UTF_8),
        "resnet50-v1/resnet50-v1-12.onnx", resnet50());
  }

  /**
   * The standard files with every model replaced by a stand-in whose signature differs from the
   * catalogue's: {@link #clipVisionRenamed()}, {@link #clipTextWithExtras()}, {@link #resnet50BatchOne()}.
   */
  public static Map<String, byte[]> variantFiles() {
    return Map.of(
        "clip-vit-b32/vision.onnx", clipVisionRenamed(),
        "clip-vit-b32/text.onnx", clipTextWithExtras(),
        "clip-vit-b32/tokenizer.json", clipTokenizerJson().getBytes(StandardCharsets.UTF_8),
        "resnet50-v1/resnet50-v1-12.onnx", resnet50BatchOne());
  }

  /** Writes the tiny models into {@code dir} laid out for {@code --model-dir dir}; returns {@code dir}. */
  public static Path writeModelDir(Path dir) throws IOException {
    return writeModelDir(dir, standardFiles());
  }

  /** Writes {@code files} (paths as {@link #standardFiles()}'s) into {@code dir}; returns {@code dir}. */
  public static Path writeModelDir(Path dir, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    return dir;
  }

  /**
   * The standard catalogue with every file replaced by its tiny stand-in (same names, signatures and
   * preprocessing, checksums and sizes of the tiny files, URLs under {@code baseUrl}).
   */
  public static ModelCatalog catalog(String baseUrl) {
    Map<String, byte[]> files = standardFiles();
    ModelCatalog standard = ModelCatalog.standard();
    return ModelCatalog.of(standard.models().stream().map(m -> tiny(m, files, baseUrl)).toList());
  }

  /** SHA-256 of bytes, lower-case hex. */
  public static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }

  /** The normalised channel means of a uniform image of this colour, CLIP's statistics. */
  public static float[] clipChannelMeans(int r, int g, int b) {
    return new float[] {
        (r / 255f - 0.48145466f) / 0.26862954f, (g / 255f - 0.4578275f) / 0.26130258f,
        (b / 255f - 0.40821073f) / 0.27577711f};
  }

  private static ModelSpec tiny(ModelSpec m, Map<String, byte[]> files, String baseUrl) {
    ImageEncoderSpec image = m.image();
    ImageEncoderSpec tinyImage = new ImageEncoderSpec(tinyFile(m, image.file(), files, baseUrl), image.inputName(),
        image.output(), image.outputName(), image.preprocessing());
    TextEncoderSpec text = m.text();
    TextEncoderSpec tinyText = text == null ? null : new TextEncoderSpec(tinyFile(m, text.file(), files, baseUrl),
        tinyFile(m, text.tokenizer(), files, baseUrl), text.inputIdsName(), text.attentionMaskName(),
        text.outputName(), text.contextLength(), text.padId());
    return new ModelSpec(m.name(), m.descriptor(), m.version(), m.title() + " (tiny test stand-in)", m.homepage(), m.license(),
        m.dimension(), tinyImage, tinyText);
  }

  private static ModelFile tinyFile(ModelSpec m, ModelFile f, Map<String, byte[]> files, String baseUrl) {
    byte[] bytes = files.get(m.name() + "/" + f.name());
    return new ModelFile(f.name(), baseUrl + "/" + m.name() + "/" + f.name(), sha256(bytes), bytes.length);
  }

  private static void putColour(float[] table, int token, int r, int g, int b) {
    float[] means = clipChannelMeans(r, g, b);
    System.arraycopy(means, 0, table, token * CLIP_DIM, 3);
  }

  private static String special(int id) {
    return """
        {"id": %d, "content": %s, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}"""
        .formatted(id, jsonString(VOCAB.get(id)));
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
