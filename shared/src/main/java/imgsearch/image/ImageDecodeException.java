package imgsearch.image;

/** An image that could not be decoded, with a reason a user can act on. */
public class ImageDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decoding failed. */
  public enum Reason {
    /** The bytes are not any supported image format (e.g. HTML, text, empty). */
    NOT_AN_IMAGE,
    /** The file ends before the image data does. */
    TRUNCATED,
    /** The data is damaged in a way the decoder cannot recover from. */
    CORRUPT,
    /** The encoded file is larger than {@link ImageLimits#maxBytes()}. */
    TOO_MANY_BYTES,
    /** The header declares more pixels than {@link ImageLimits#maxPixels()}. */
    TOO_MANY_PIXELS,
    /** The file could not be read. */
    IO
  }

  private final Reason reason;

  public ImageDecodeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageDecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
