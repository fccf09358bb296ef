package imgsearch.descriptor;

import imgsearch.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns an image into a fixed-length vector that can be compared by one or more {@link Metric}s.
 *
 * <p>Implementations are immutable and thread-safe: the indexer calls {@link #describe} from
 * several threads at once. The image passed in is always sRGB, {@code TYPE_INT_RGB}, with EXIF
 * orientation applied (see {@link imgsearch.image.ImageDecoder}), and is usually not the full-size
 * photo: each descriptor says in {@link #inputSide()} how small it may be, a photo is decoded once at
 * the size the most demanding descriptor of a run asks for, and every descriptor reads that one image
 * (without modifying it). So a descriptor must not depend on the exact size it gets: the classic ones
 * first bring it to a working size of their own.
 */
public interface Descriptor {

  /** Short stable name used on the command line, in the index and in the API, e.g. {@code pixels}. */
  String name();

  /**
   * Version of the algorithm. Bump it whenever the vectors it produces change, so that indexes built
   * with an older version are re-described instead of silently mixing incompatible vectors.
   */
  int version();

  /**
   * Parameters that change the vectors (e.g. {@code size=224}); empty when there are none. Stored in
   * the index with the version so that queries are described exactly as the indexed images were.
   */
  String config();

  /** Length of every vector this descriptor returns. */
  int dimension();

  /**
   * How the vectors are stored: {@link VectorEncoding#UINT8} promises that every element is a whole number
   * 0 to 255. The default is {@link VectorEncoding#FLOAT32}.
   */
  default VectorEncoding encoding() {
    return VectorEncoding.FLOAT32;
  }

  /**
   * The length, in pixels, the shorter side of the image given to {@link #describe} needs at least. The
   * decoder may reduce a photo to 1/2, 1/4 or 1/8 of its size (libjpeg-turbo does it while decoding, for
   * a fraction of the cost of a full decode) as long as the shorter side keeps this length. The default,
   * {@link ImageDecoder#FULL_SIZE}, asks for the full-size image.
   */
  default int inputSide() {
    return ImageDecoder.FULL_SIZE;
  }

  /** The input side a set of descriptors computed from one decoded image needs: the largest one asks. */
  static int inputSide(Collection<? extends Descriptor> descriptors) {
    int side = 1;
    for (Descriptor d : descriptors) {
      side = Math.max(side, d.inputSide());
    }
    return side;
  }

  /** The metrics this descriptor's vectors are meant to be compared by; the first is the default. */
  List<Metric> metrics();

  /** Describes one image. */
  float[] describe(BufferedImage image);

  /**
   * Describes one image as unsigned bytes, the way a {@link VectorEncoding#UINT8} descriptor's vectors are
   * stored: the values {@link #describe} gives, one byte each. The default converts those floats (and
   * refuses a value that is not a whole number 0 to 255); a descriptor that has its values as bytes anyway
   * overrides it and skips the float copy, four times the size (for {@code pixels}, 600 KB per photo).
   */
  default byte[] describeUnsigned(BufferedImage image) {
    return VectorEncoding.toUnsignedBytes(describe(image));
  }

  /**
   * Describes several images, in order. Deep descriptors run them through their model as one batch,
   * which is much faster than one by one; the default describes them one by one.
   */
  default List<float[]> describeAll(List<BufferedImage> images) {
    List<float[]> vectors = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      vectors.add(describe(image));
    }
    return vectors;
  }

  /**
   * Gets ready to describe: loads what the descriptor needs (a deep model's weights, downloading them
   * if allowed), so that a run can fail once, before it starts, instead of once per image. The default
   * needs nothing.
   *
   * @throws RuntimeException when the descriptor cannot work, e.g. a
   *     {@link DescriptorUnavailableException} whose message says why and what to do
   */
  default void prepare() {}

  /** Whether {@link #describeText} is supported (text-to-image search, e.g. CLIP). */
  default boolean embedsText() {
    return false;
  }

  /** Embeds words into the same space as the images; only when {@link #embedsText()} is true. */
  default float[] describeText(String text) {
    throw new UnsupportedOperationException(name() + " cannot embed text");
  }

  /** Identity of this descriptor's vectors as stored in an index. */
  default DescriptorSpec spec() {
    return new DescriptorSpec(name(), version(), config(), dimension(), metrics(), encoding());
  }

  /** The metric used when the caller does not name one. */
  default Metric defaultMetric() {
    return metrics().get(0);
  }
}
