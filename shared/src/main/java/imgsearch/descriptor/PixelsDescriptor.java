package imgsearch.descriptor;

import imgsearch.image.ImageScaling;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The traditional baseline: the whole image resized to N x N (aspect ratio not kept) and its RGB values
 * 0..255 used as the vector, interleaved per pixel (r, g, b, r, g, b, ...) row by row. Compared by the
 * textbook metrics; too long for an HNSW graph, so it is always scanned. Stored as bytes
 * ({@link VectorEncoding#UINT8}).
 *
 * <p>Version 2 reads the photo decoded at reduced size (shorter side at least N / 2, see {@link #inputSide()})
 * instead of at full size, and stores bytes instead of floats; version 1 vectors are re-described.
 */
public final class PixelsDescriptor implements Descriptor {

  /** Registry name. */
  public static final String NAME = "pixels";
  /** Default side length (150,528 values); a larger side keeps more detail at the square of the cost. */
  public static final int DEFAULT_SIZE = 224;
  /** Largest accepted side: 1024 x 1024 x 3 floats is already 12 MB per image. */
  public static final int MAX_SIZE = 1024;

  /**
   * Best first, as measured on the near-duplicate set (docs/near-duplicates.md): correlation and cosine
   * shrug off brightness changes that move every value, L1 and L2 do not.
   */
  private static final List<Metric> METRICS = List.of(Metric.CORRELATION, Metric.COSINE, Metric.L1, Metric.L2);

  private final int size;

  /** Pixels at {@code size x size}. */
  public PixelsDescriptor(int size) {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("pixels size must be between 1 and " + MAX_SIZE + ", was " + size);
    }
    this.size = size;
  }

  /** Pixels at the default size. */
  public PixelsDescriptor() {
    this(DEFAULT_SIZE);
  }

  /** Parses {@code size=N} ({@code ""} means the default, {@value #DEFAULT_SIZE}). */
  public static PixelsDescriptor fromConfig(String config) {
    String c = config == null ? "" : config.trim();
    if (c.isEmpty()) {
      return new PixelsDescriptor();
    }
    String[] kv = c.split("=", 2);
    if (kv.length != 2 || !kv[0].trim().equals("size")) {
      throw new IllegalArgumentException("pixels config must be 'size=N' (e.g. size=224 or size=448), was '" + config + "'");
    }
    try {
      return new PixelsDescriptor(Integer.parseInt(kv[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("pixels size must be a whole number (e.g. size=224), was '" + kv[1].trim() + "'");
    }
  }

  public int size() {
    return size;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 2;
  }

  @Override
  public String config() {
    return "size=" + size;
  }

  @Override
  public int dimension() {
    return 3 * size * size;
  }

  @Override
  public List<Metric> metrics() {
    return METRICS;
  }

  @Override
  public VectorEncoding encoding() {
    return VectorEncoding.UINT8;
  }

  /**
   * N / 2: the N x N image is resampled from a photo decoded with its shorter side at least half as long
   * (so never enlarged more than twice along one axis). Measured on real photos (BENCHMARKS.md), retrieval
   * was as good as from a photo decoded at N or at full size, and decoding at a quarter of the size instead
   * of a half is what lets indexing keep up with a full-size JPEG decoder.
   */
  @Override
  public int inputSide() {
    return Math.max(1, size / 2);
  }

  @Override
  public float[] describe(BufferedImage image) {
    return VectorEncoding.fromUnsignedBytes(describeUnsigned(image));
  }

  /** The channels as they are: indexing stores these bytes without a float copy in between. */
  @Override
  public byte[] describeUnsigned(BufferedImage image) {
    return channels(ImageScaling.resize(ImageScaling.pixels(image), image.getWidth(), image.getHeight(), size, size));
  }

  /**
   * Packed {@code 0xRRGGBB} pixels as R, G, B bytes. This loop is not in {@link #describeUnsigned}: there it
   * made the JIT compile that method with the whole resize inlined (code C2 also compiles on its own, for the
   * other descriptors), a third of a second of C2 in the middle of an indexing run's warm-up, up to three
   * times a run (BENCHMARKS.md).
   */
  private static byte[] channels(int[] rgb) {
    byte[] v = new byte[3 * rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      v[3 * i] = (byte) (p >> 16);
      v[3 * i + 1] = (byte) (p >> 8);
      v[3 * i + 2] = (byte) p;
    }
    return v;
  }
}
