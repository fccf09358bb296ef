package imgsearch.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One model of the {@link ModelCatalog}: where its files come from, how images (and texts) are
 * prepared, and what it outputs.
 *
 * @param name catalogue name, also the folder name in the cache and in {@code --model-dir}, e.g.
 *     {@code clip-vit-b32}
 * @param descriptor the descriptor name this model backs, e.g. {@code clip}
 * @param version version of the vectors the descriptor stores: raised whenever they change for the same
 *     files (preprocessing, the tensor read), so that indexes re-describe their images
 * @param title one-line human description
 * @param homepage where the files and their licence are described
 * @param license the licence of the weights as published
 * @param dimension length of the embedding
 * @param image the image encoder
 * @param text the text encoder; {@code null} when the model cannot embed text
 */
public record ModelSpec(String name, String descriptor, int version, String title, String homepage, String license,
    int dimension, ImageEncoderSpec image, TextEncoderSpec text) {

  public ModelSpec {
    if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException("model name must be lower-case letters, digits, '.', '_' or '-': " + name);
    }
    if (version <= 0) {
      throw new IllegalArgumentException(name + ": version must be positive");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException(name + ": dimension must be positive");
    }
  }

  /** Whether the model embeds text into the image space. */
  public boolean embedsText() {
    return text != null;
  }

  /** Every file of the model: image encoder first, then text encoder and tokenizer. */
  public List<ModelFile> files() {
    List<ModelFile> files = new ArrayList<>();
    files.add(image.file());
    if (text != null) {
      files.add(text.file());
      files.add(text.tokenizer());
    }
    return files;
  }

  /** Total download size in bytes. */
  public long size() {
    return files().stream().mapToLong(ModelFile::size).sum();
  }
}
