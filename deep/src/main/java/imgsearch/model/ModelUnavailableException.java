package imgsearch.model;

import imgsearch.descriptor.DescriptorUnavailableException;

/**
 * A deep model cannot be used: its files could not be downloaded, are missing, fail their checksum or
 * do not have the inputs and outputs the catalogue promises. The message is written for the user (one
 * paragraph: what failed and how to provide the files with {@code --model-dir}); command lines print it
 * without a stack trace, and the server falls back to the classic descriptors.
 */
public class ModelUnavailableException extends DescriptorUnavailableException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently (e.g. tests). */
  public enum Reason {
    /** A download failed: no network, refused, HTTP error, interrupted. */
    DOWNLOAD,
    /** A downloaded or cached file does not match its published SHA-256. */
    CHECKSUM,
    /** A file is not in the {@code --model-dir} folder. */
    MISSING_FILE,
    /** The model's inputs or outputs are not what the catalogue describes. */
    SIGNATURE,
    /** The file is there but ONNX Runtime or the tokenizer could not load it. */
    LOAD,
    /** The name is not in the catalogue. */
    UNKNOWN_MODEL,
    /** The execution provider asked for ({@code --device cuda}) is not in this build or does not start. */
    EXECUTION_PROVIDER
  }

  /** Appended to every message but those about the execution provider: the way out for offline users. */
  public static final String HOW_TO_PROVIDE = "To use the model without downloading, put its files in a folder"
      + " and pass --model-dir DIR (or set IMGSEARCH_MODEL_DIR); `imgsearch models` lists the files and"
      + " docs/deep-models.md says where to get them.";

  private final Reason reason;
  private final String model;
  private final String what;

  /** A failure of {@code model} for {@code reason}; {@code what} says what failed, without the remedy. */
  public ModelUnavailableException(Reason reason, String model, String what) {
    this(reason, model, what, null);
  }

  public ModelUnavailableException(Reason reason, String model, String what, Throwable cause) {
    super("Model " + model + " is not available: " + what
        + (reason == Reason.EXECUTION_PROVIDER ? "" : " " + HOW_TO_PROVIDE), cause);
    this.reason = reason;
    this.model = model;
    this.what = what;
  }

  /** The same failure with {@code note} added to what failed (e.g. that the file is not the published one). */
  public ModelUnavailableException withNote(String note) {
    return new ModelUnavailableException(reason, model, what + " " + note, getCause());
  }

  public Reason reason() {
    return reason;
  }

  /** Catalogue name of the model. */
  public String model() {
    return model;
  }
}
