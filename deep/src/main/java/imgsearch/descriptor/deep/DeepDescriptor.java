package imgsearch.descriptor.deep;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.Metric;
import imgsearch.model.ExecutionProviders;
import imgsearch.model.ModelSpec;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An image embedding computed by a catalogued deep model (CLIP, ResNet-50): L2-normalised, compared by
 * dot product. Its config names the model and the first 12 hex digits of the image encoder's SHA-256,
 * so an index described with other weights is re-described rather than mixed. For a text-capable model,
 * {@link #describeText} embeds words into the same space, so text search is a nearest-neighbour query on
 * the image vectors.
 *
 * <p>Creating one touches no network: the model is fetched (if needed) and loaded on first use, or
 * on {@link #prepare}, and shared; every method is thread-safe.
 */
public final class DeepDescriptor implements Descriptor {

  private final String name;
  private final ModelSpec spec;
  private final String imageSha;
  private final DeepModels models;
  private volatile ImageEncoder imageEncoder;
  private volatile TextEncoder textEncoder;

  DeepDescriptor(String name, ModelSpec spec, String imageSha, DeepModels models) {
    this.name = name;
    this.spec = spec;
    this.imageSha = imageSha;
    this.models = models;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int version() {
    return spec.version();
  }

  @Override
  public String config() {
    return "model=" + spec.name() + ",sha=" + imageSha.substring(0, 12);
  }

  @Override
  public int dimension() {
    return spec.dimension();
  }

  @Override
  public List<Metric> metrics() {
    return List.of(Metric.DOT);
  }

  @Override
  public float[] describe(BufferedImage image) {
    return describeAll(List.of(image)).get(0);
  }

  @Override
  public List<float[]> describeAll(List<BufferedImage> images) {
    return images.isEmpty() ? List.of() : image().embed(images);
  }

  @Override
  public boolean embedsText() {
    return spec.embedsText();
  }

  /**
   * {@inheritDoc}
   *
   * @throws imgsearch.model.ModelUnavailableException when the text encoder's files cannot be had
   */
  @Override
  public float[] describeText(String text) {
    if (!spec.embedsText()) {
      throw new UnsupportedOperationException(name + " (" + spec.name() + ") cannot embed text");
    }
    return text().embed(text);
  }

  /** The catalogue entry behind this descriptor. */
  public ModelSpec model() {
    return spec;
  }

  /** SHA-256 of the image encoder's file: the published one, or that of the file in the model folder. */
  public String imageSha256() {
    return imageSha;
  }

  /**
   * Fetches and loads the model now instead of on first use: the image encoder, and the text encoder
   * when {@code withText} and the model embeds text. A server calls this at startup to fall back to
   * the classic descriptors, with the message, when the model cannot be had.
   *
   * @throws imgsearch.model.ModelUnavailableException when a file cannot be had or loaded
   */
  public void prepare(boolean withText) {
    image();
    if (withText && spec.embedsText()) {
      text();
    }
  }

  /** Loads the image encoder (what describing images needs); the text encoder waits for a text. */
  @Override
  public void prepare() {
    prepare(false);
  }

  /** Where inference runs, {@code cpu()} or {@code gpu(0)}; loads the image encoder if needed. */
  public String device() {
    return image().device();
  }

  /**
   * The ONNX Runtime execution provider the image encoder runs on (and why, when it is not CUDA); loads
   * the image encoder if needed.
   */
  public ExecutionProviders.Choice executionProvider() {
    return image().provider();
  }

  /** Images per inference call; loads the image encoder if needed. */
  public int batchSize() {
    return image().batchSize();
  }

  /** The loaded image encoder, loading it first if needed. */
  ImageEncoder image() {
    ImageEncoder e = imageEncoder;
    if (e == null) {
      e = models.imageEncoder(spec, imageSha);
      imageEncoder = e;
    }
    return e;
  }

  /** The loaded text encoder, loading it first if needed. */
  TextEncoder text() {
    TextEncoder e = textEncoder;
    if (e == null) {
      e = models.textEncoder(spec);
      textEncoder = e;
    }
    return e;
  }

  /** Tokens the text encoder sees for {@code text}; for tests and diagnostics. */
  TextTokens tokens(String text) {
    return text().tokenize(text);
  }
}
