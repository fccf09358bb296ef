package imgsearch.descriptor.deep;

import imgsearch.model.ExecutionProviders;
import imgsearch.model.ImagePreprocessing;
import imgsearch.model.ImagePreprocessor;
import imgsearch.model.ModelSignatures;
import imgsearch.model.ModelSignatures.ImageBinding;
import imgsearch.model.ModelSpec;
import imgsearch.model.ModelStore.LocalFile;
import imgsearch.model.ModelUnavailableException;
import imgsearch.model.ModelUnavailableException.Reason;
import imgsearch.model.OnnxFeatureExport;
import imgsearch.model.OnnxGraph;
import imgsearch.model.OnnxModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded image encoder: preprocessing in plain Java, batched inference, L2-normalised output.
 * Inference calls are serialised per model, because ONNX Runtime already spreads one call over every
 * core; the callers' threads meanwhile decode and preprocess the next images.
 */
final class ImageEncoder implements AutoCloseable {

  private static final int CPU_BATCH = 8;
  private static final int GPU_BATCH = 32;

  private static final Logger LOG = LoggerFactory.getLogger(ImageEncoder.class);

  private final ModelSpec spec;
  private final OnnxModel model;
  private final ImageBinding binding;
  private final String signature;
  private final int batchSize;
  private final Semaphore inference = new Semaphore(1, true);

  private ImageEncoder(ModelSpec spec, OnnxModel model, ImageBinding binding, String signature, int batchSize) {
    this.spec = spec;
    this.model = model;
    this.binding = binding;
    this.signature = signature;
    this.batchSize = batchSize;
  }

  /**
   * Checks the file against the catalogue, loads it and logs once what was bound.
   *
   * @param derivedDir where a copy with an exposed feature output is kept, when one is needed
   * @param batchSize images per call, 0 for the device's default
   * @param providers chooses the execution provider
   */
  static ImageEncoder load(ModelSpec spec, LocalFile file, Path derivedDir, int batchSize,
      ExecutionProviders providers) {
    OnnxGraph graph = readGraph(spec, file.path());
    ImageBinding binding = ModelSignatures.bindImage(spec, graph, file.path());
    Path toLoad = file.path();
    if (binding.exposeOutput()) {
      toLoad = derivedDir.resolve(spec.name()).resolve(file.sha256().substring(0, 16) + "-features.onnx");
      if (!Files.isRegularFile(toLoad)) {
        try {
          OnnxFeatureExport.exposeOutput(file.path(), binding.outputName(), toLoad);
        } catch (IOException e) {
          throw new ModelUnavailableException(Reason.LOAD, spec.name(), "cannot write " + toLoad
              + " (" + e.getMessage() + "); choose a writable cache with --model-cache DIR.", e);
        }
      }
    }
    OnnxModel model = OnnxModel.load(toLoad, binding.outputName(), spec.name(), providers);
    try {
      checkSessionInputs(spec, file.path(), model, Set.of(binding.inputName()));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    int batch = binding.maxBatch() == 1 ? 1
        : batchSize > 0 ? batchSize
        : model.provider().isGpu() ? GPU_BATCH : CPU_BATCH;
    LOG.info("{} image encoder {}: {}; {} images per call on {}", spec.name(), file.path().getFileName(),
        binding.describe(), batch, model.provider().describe());
    return new ImageEncoder(spec, model, binding, graph.describeSignature(), batch);
  }

  static OnnxGraph readGraph(ModelSpec spec, Path file) {
    try {
      return OnnxGraph.read(file);
    } catch (IOException e) {
      throw new ModelUnavailableException(Reason.LOAD, spec.name(), "cannot read " + file + " as an ONNX model ("
          + e.getMessage() + "). The file may be damaged: delete it (a download is fetched again) or replace it.", e);
    }
  }

  /**
   * Checks the inputs ONNX Runtime's session requires against those the binding feeds: they come from
   * the same file, so a difference means the graph was read wrongly, and feeding it would fail obscurely.
   */
  static void checkSessionInputs(ModelSpec spec, Path file, OnnxModel model, Set<String> fed) {
    Set<String> required = model.inputNames();
    if (!required.equals(fed)) {
      throw new ModelUnavailableException(Reason.SIGNATURE, spec.name(), "ONNX Runtime's session of " + file
          + " requires the inputs " + new TreeSet<>(required) + " but imgsearch read " + new TreeSet<>(fed)
          + " from the file. Is it a valid ONNX model?");
    }
  }

  /** Embeddings of the images, in order, each of length {@code spec.dimension()} and unit length. */
  List<float[]> embed(List<BufferedImage> images) {
    List<float[]> out = embedRaw(images);
    out.forEach(Vectors::normalize);
    return out;
  }

  /** The model's outputs for the images, in order, each of length {@code spec.dimension()}, not normalised. */
  List<float[]> embedRaw(List<BufferedImage> images) {
    List<float[]> out = new ArrayList<>(images.size());
    ImagePreprocessing rule = spec.image().preprocessing();
    int crop = rule.crop();
    for (int from = 0; from < images.size(); from += batchSize) {
      int n = Math.min(batchSize, images.size() - from);
      float[] input = new float[n * rule.tensorLength()];
      for (int i = 0; i < n; i++) {
        ImagePreprocessor.toTensor(images.get(from + i), rule, input, i * rule.tensorLength());
      }
      OnnxModel.Output result = run(OnnxModel.Tensor.floats(binding.inputName(), input, n, 3, crop, crop));
      out.addAll(rows(result, n));
    }
    return out;
  }

  /** {@code cpu()} or {@code gpu(0)}. */
  String device() {
    return model.device();
  }

  /** The execution provider the model runs on. */
  ExecutionProviders.Choice provider() {
    return model.provider();
  }

  /** The graph's signature as read from the file. */
  String signature() {
    return signature;
  }

  ImageBinding binding() {
    return binding;
  }

  int batchSize() {
    return batchSize;
  }

  ImagePreprocessing preprocessing() {
    return spec.image().preprocessing();
  }

  private OnnxModel.Output run(OnnxModel.Tensor input) {
    inference.acquireUninterruptibly();
    try {
      return model.run(List.of(input));
    } finally {
      inference.release();
    }
  }

  private List<float[]> rows(OnnxModel.Output result, int n) {
    int d = spec.dimension();
    if (result.data().length != n * d) {
      throw new ModelUnavailableException(Reason.SIGNATURE, spec.name(), String.format(Locale.ROOT,
          "its image encoder returns %d values per image (tensor %s of shape %s), not the %d the catalogue"
              + " describes. Is it the right file?",
          result.data().length / Math.max(1, n), binding.outputName(), java.util.Arrays.toString(result.shape()), d));
    }
    List<float[]> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] row = new float[d];
      System.arraycopy(result.data(), i * d, row, 0, d);
      rows.add(row);
    }
    return rows;
  }

  @Override
  public void close() {
    model.close();
  }
}
