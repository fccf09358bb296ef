package imgsearch.model;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import imgsearch.model.ModelUnavailableException.Reason;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which ONNX Runtime execution provider runs the models. The default build ships
 * {@code com.microsoft.onnxruntime:onnxruntime}, which has only the CPU provider; the {@code gpu} Maven
 * profile ships {@code onnxruntime_gpu}, which also has CUDA (it still needs the CUDA and cuDNN
 * libraries and an NVIDIA GPU at run time). With {@link Preference#AUTO} a model is loaded with CUDA when
 * the build offers it and falls back to the CPU when CUDA cannot start.
 *
 * <p>An instance serves the models of one program: once CUDA has failed to start, the next models go
 * straight to the CPU with the same reason, instead of failing (and ONNX Runtime logging it) again.
 */
public final class ExecutionProviders {

  private final Preference preference;
  private Set<OrtProvider> available;
  private String cudaFailure;

  /**
   * The providers of this ONNX Runtime build, chosen as {@code preference} says. Nothing is loaded until
   * the first model is.
   */
  public ExecutionProviders(Preference preference) {
    this.preference = preference;
  }

  ExecutionProviders(Preference preference, Set<OrtProvider> available) {
    this.preference = preference;
    this.available = Set.copyOf(available);
  }

  public Preference preference() {
    return preference;
  }

  /** The providers to try for the next model, in order; see {@link #candidates(Preference, Set, String)}. */
  synchronized List<OrtProvider> candidates(String model) {
    if (cudaFailure != null && preference == Preference.AUTO) {
      return List.of(OrtProvider.CPU);
    }
    return candidates(preference, offeredOnce(), model);
  }

  /** Why a model runs on the CPU although CUDA was allowed, or {@code null} when CPU was asked for plainly. */
  synchronized String cpuNote() {
    return cudaFailure != null ? cudaFailure : noCudaNote(preference, offeredOnce());
  }

  private Set<OrtProvider> offeredOnce() {
    if (available == null) {
      available = offered();
    }
    return available;
  }

  /** Records that CUDA did not start, so that later models do not try again. */
  synchronized void cudaFailed(String why) {
    cudaFailure = why;
  }

  /** What the user asked for ({@code --device}). */
  public enum Preference {
    /** CUDA when this ONNX Runtime build offers it and it starts, else the CPU. */
    AUTO,
    /** The CPU provider only. */
    CPU,
    /** CUDA or fail: for checking that a GPU set-up works. */
    CUDA;

    /** Parses {@code auto}, {@code cpu} or {@code cuda}, case-insensitively. */
    public static Preference parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown device '" + value + "'; use auto, cpu or cuda", e);
      }
    }
  }

  /**
   * The provider a model actually runs on.
   *
   * @param provider {@link OrtProvider#CUDA} or {@link OrtProvider#CPU}
   * @param note why it is not the preferred one (CUDA absent from this build, or failing to start), or
   *     {@code null}
   */
  public record Choice(OrtProvider provider, String note) {

    /** {@code CUDA} or {@code CPU}. */
    public String name() {
      return provider == OrtProvider.CUDA ? "CUDA" : "CPU";
    }

    /** E.g. {@code CPU (this ONNX Runtime build has no CUDA provider)}. */
    public String describe() {
      return name() + (provider == OrtProvider.CUDA ? " (GPU 0)" : "") + (note == null ? "" : " (" + note + ")");
    }

    public boolean isGpu() {
      return provider == OrtProvider.CUDA;
    }
  }

  /** The providers this ONNX Runtime build offers; just the CPU when the native library cannot tell. */
  public static Set<OrtProvider> offered() {
    try {
      return OrtEnvironment.getAvailableProviders();
    } catch (RuntimeException | LinkageError e) {
      return EnumSet.of(OrtProvider.CPU);
    }
  }

  /**
   * The ONNX Runtime version of the native library in use. DJL's engine is started first: it creates the
   * process's one ONNX Runtime environment with its own thread settings, and fails if another exists.
   */
  public static String onnxRuntimeVersion() {
    try {
      Engine.getEngine("OnnxRuntime");
      return OrtEnvironment.getEnvironment().getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "unknown";
    }
  }

  /**
   * The providers to try, in order, for {@code device} when the build offers {@code available}: a model
   * is loaded with the first that starts.
   *
   * @throws ModelUnavailableException when CUDA is required but the build does not offer it
   */
  public static List<OrtProvider> candidates(Preference device, Set<OrtProvider> available, String model) {
    boolean cuda = available.contains(OrtProvider.CUDA);
    return switch (device) {
      case CPU -> List.of(OrtProvider.CPU);
      case AUTO -> cuda ? List.of(OrtProvider.CUDA, OrtProvider.CPU) : List.of(OrtProvider.CPU);
      case CUDA -> {
        if (!cuda) {
          throw new ModelUnavailableException(Reason.EXECUTION_PROVIDER, model, "--device cuda was asked for, but"
              + " this build of ONNX Runtime has no CUDA provider (it offers " + names(available) + "). Build"
              + " imgsearch with the GPU runtime: ./mvnw -Pgpu package, or IMGSEARCH_GPU=1 ./imgsearch"
              + " (docs/deep-models.md, \"GPU\").");
        }
        yield List.of(OrtProvider.CUDA);
      }
    };
  }

  /**
   * Why a model that runs on the CPU does, before any attempt at CUDA: {@code --device cpu}, or a build
   * without CUDA; {@code null} when CUDA is in the build and allowed (it would be tried first).
   */
  static String noCudaNote(Preference device, Set<OrtProvider> available) {
    if (device == Preference.CPU) {
      return "--device cpu";
    }
    return available.contains(OrtProvider.CUDA) ? null : "this ONNX Runtime build has no CUDA provider";
  }

  private static String names(Set<OrtProvider> providers) {
    return String.join(", ", providers.stream().map(OrtProvider::getName).toList());
  }
}
