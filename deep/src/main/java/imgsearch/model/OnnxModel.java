package imgsearch.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import imgsearch.model.ExecutionProviders.Preference;
import imgsearch.model.ModelUnavailableException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX model loaded through DJL's ONNX Runtime engine (always named explicitly: the tokenizers jar
 * registers another engine that would otherwise become the default), with the execution provider
 * {@link ExecutionProviders} chooses: CUDA when the ONNX Runtime build offers it and it starts, else the
 * CPU. Inputs and outputs are plain arrays; DJL's NDArray arithmetic is not used (the ONNX Runtime engine
 * does not implement it). Thread-safe: every call gets its own predictor over the one shared session.
 */
public final class OnnxModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

  /** One named input: float or int64 data with its shape. */
  public record Tensor(String name, float[] floats, long[] longs, long[] shape) {

    public static Tensor floats(String name, float[] data, long... shape) {
      return new Tensor(name, data, null, shape);
    }

    public static Tensor longs(String name, long[] data, long... shape) {
      return new Tensor(name, null, data, shape);
    }
  }

  /** One output: its data, flattened, and its shape. */
  public record Output(float[] data, long[] shape) {}

  /** The inputs of one call. */
  record Inputs(List<Tensor> tensors) {}

  private final Model model;
  private final OrtSession.SessionOptions sessionOptions;
  private final Translator<Inputs, Output> translator;
  private final ExecutionProviders.Choice provider;
  private final String label;

  private OnnxModel(Model model, OrtSession.SessionOptions sessionOptions, Translator<Inputs, Output> translator,
      ExecutionProviders.Choice provider, String label) {
    this.model = model;
    this.sessionOptions = sessionOptions;
    this.translator = translator;
    this.provider = provider;
    this.label = label;
  }

  /**
   * Loads {@code file} with CUDA when the build offers it and it starts, else on the CPU; see
   * {@link #load(Path, String, String, ExecutionProviders)}.
   */
  public static OnnxModel load(Path file, String outputName, String modelName) {
    return load(file, outputName, modelName, new ExecutionProviders(Preference.AUTO));
  }

  /**
   * Loads {@code file} and prepares to return its output {@code outputName}, trying the execution
   * providers {@code providers} allows in turn.
   *
   * @param modelName catalogue name, for messages
   * @throws ModelUnavailableException when ONNX Runtime cannot load the file (or CUDA was required and
   *     cannot start)
   */
  public static OnnxModel load(Path file, String outputName, String modelName, ExecutionProviders providers) {
    List<OrtProvider> candidates = providers.candidates(modelName);
    String label = modelName + "/" + file.getFileName();
    for (int i = 0; i < candidates.size(); i++) {
      OrtProvider provider = candidates.get(i);
      boolean last = i == candidates.size() - 1;
      try {
        String note = provider == OrtProvider.CUDA ? null : providers.cpuNote();
        return open(file, outputName, new ExecutionProviders.Choice(provider, note), label);
      } catch (OrtException | MalformedModelException | IOException | RuntimeException e) {
        if (!last) {
          String why = "CUDA is in this build but could not start: " + firstLine(e);
          providers.cudaFailed(why);
          LOG.warn("{}: {}; running on the CPU instead", label, why);
          continue;
        }
        String what = provider == OrtProvider.CUDA
            ? "ONNX Runtime cannot run " + file + " with CUDA (" + firstLine(e) + "). Check the NVIDIA driver, CUDA"
                + " and cuDNN versions ONNX Runtime " + ExecutionProviders.onnxRuntimeVersion() + " needs, or use"
                + " --device auto to fall back to the CPU."
            : "ONNX Runtime cannot load " + file + " (" + firstLine(e) + "). The file may be damaged: delete it"
                + " (a download is fetched again) or replace it.";
        throw new ModelUnavailableException(provider == OrtProvider.CUDA ? Reason.EXECUTION_PROVIDER : Reason.LOAD,
            modelName, what, e);
      }
    }
    throw new IllegalStateException("no execution provider to try"); // candidates is never empty
  }

  private static OnnxModel open(Path file, String outputName, ExecutionProviders.Choice choice, String label)
      throws OrtException, MalformedModelException, IOException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    Model model = null;
    try {
      if (choice.isGpu()) {
        options.addCUDA(0);
      }
      // DJL adds no provider of its own for a CPU device; the session gets exactly these options.
      model = Model.newInstance(label, Device.cpu(), "OnnxRuntime");
      model.load(file, null, Map.of("sessionOptions", options));
      return new OnnxModel(model, options, new NamedOutput(outputName), choice, label);
    } catch (OrtException | MalformedModelException | IOException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      options.close();
      throw e;
    }
  }

  /** Runs the model once. */
  public Output run(List<Tensor> inputs) {
    try (Predictor<Inputs, Output> predictor = model.newPredictor(translator)) {
      return predictor.predict(new Inputs(inputs));
    } catch (TranslateException e) {
      throw new IllegalStateException("inference failed in " + label + ": " + firstLine(e), e);
    }
  }

  /** The execution provider the session runs on, and why when it is not CUDA. */
  public ExecutionProviders.Choice provider() {
    return provider;
  }

  /** {@code cpu()} or {@code gpu(0)}. */
  public String device() {
    return provider.isGpu() ? "gpu(0)" : "cpu()";
  }

  /** The inputs ONNX Runtime's session requires, as its metadata lists them. */
  public Set<String> inputNames() {
    return Set.copyOf(model.describeInput().keys());
  }

  @Override
  public void close() {
    try {
      model.close();
    } finally {
      sessionOptions.close();
    }
  }

  private static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** Builds named input arrays and copies one named output out of DJL. */
  private static final class NamedOutput implements Translator<Inputs, Output> {
    private final String outputName;

    NamedOutput(String outputName) {
      this.outputName = outputName;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Inputs input) {
      NDList list = new NDList();
      for (Tensor t : input.tensors()) {
        Shape shape = new Shape(t.shape());
        NDArray array = t.floats() != null
            ? ctx.getNDManager().create(t.floats(), shape)
            : ctx.getNDManager().create(t.longs(), shape);
        array.setName(t.name());
        list.add(array);
      }
      return list;
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
      for (NDArray array : list) {
        if (outputName.equals(array.getName())) {
          return new Output(array.toFloatArray(), array.getShape().getShape());
        }
      }
      throw new IllegalStateException("the model returned no output named " + outputName + ", only "
          + Arrays.toString(list.stream().map(NDArray::getName).toArray()));
    }

    @Override
    public Batchifier getBatchifier() {
      return null; // inputs arrive already batched
    }
  }
}
