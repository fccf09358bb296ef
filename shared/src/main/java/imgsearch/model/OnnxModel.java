package imgsearch.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import imgsearch.model.ModelUnavailableException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An ONNX model loaded through DJL's ONNX Runtime engine (always named explicitly: the tokenizers jar
 * registers another engine that would otherwise become the default), on the GPU when ONNX Runtime
 * offers CUDA and on the CPU otherwise. Inputs and outputs are plain arrays; DJL's NDArray arithmetic
 * is not used (the ONNX Runtime engine does not implement it). Thread-safe: every call gets its own
 * predictor over the one shared session.
 */
public final class OnnxModel implements AutoCloseable {

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

  private final ZooModel<Inputs, Output> model;
  private final Device device;
  private final String label;

  private OnnxModel(ZooModel<Inputs, Output> model, Device device, String label) {
    this.model = model;
    this.device = device;
    this.label = label;
  }

  /**
   * Loads {@code file} and prepares to return its output {@code outputName}.
   *
   * @param modelName catalogue name, for messages
   * @throws ModelUnavailableException when ONNX Runtime cannot load the file
   */
  public static OnnxModel load(Path file, String outputName, String modelName) {
    Device device = chooseDevice();
    Criteria<Inputs, Output> criteria = Criteria.builder()
        .setTypes(Inputs.class, Output.class)
        .optModelPath(file)
        .optEngine("OnnxRuntime")
        .optDevice(device)
        .optTranslator(new NamedOutput(outputName))
        .build();
    try {
      return new OnnxModel(criteria.loadModel(), device, modelName + "/" + file.getFileName());
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new ModelUnavailableException(Reason.LOAD, modelName, "ONNX Runtime cannot load " + file + " ("
          + firstLine(e) + "). The file may be damaged: delete it (a download is fetched again) or replace it.", e);
    }
  }

  /** Runs the model once. */
  public Output run(List<Tensor> inputs) {
    try (Predictor<Inputs, Output> predictor = model.newPredictor()) {
      return predictor.predict(new Inputs(inputs));
    } catch (TranslateException e) {
      throw new IllegalStateException("inference failed in " + label + ": " + firstLine(e), e);
    }
  }

  /** {@code cpu()} or {@code gpu(0)}. */
  public String device() {
    return device.toString();
  }

  @Override
  public void close() {
    model.close();
  }

  private static Device chooseDevice() {
    try {
      return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) ? Device.gpu() : Device.cpu();
    } catch (RuntimeException | LinkageError e) {
      return Device.cpu();
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
