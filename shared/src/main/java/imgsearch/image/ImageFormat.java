package imgsearch.image;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.stream.ImageInputStream;

/** The container formats the decoder accepts, recognised by their magic numbers, never by file name. */
enum ImageFormat {
  JPEG("jpeg", "JPEG"),
  PNG("png", "PNG"),
  GIF("gif", "GIF"),
  BMP("bmp", "BMP"),
  WEBP("webp", "WebP");

  /** Bytes {@link #sniff} looks at. */
  static final int HEAD_LENGTH = 32;

  private static final String SUPPORTED = "JPEG, PNG, GIF, BMP or WebP";

  /** Sizes of the BMP info header versions (core, OS/2, V1 to V5). */
  private static final Set<Integer> DIB_HEADER_SIZES = Set.of(12, 16, 40, 52, 56, 64, 108, 124);

  /** Lower-case name, also the ImageIO format name. */
  final String id;

  /** Name shown to users. */
  final String displayName;

  ImageFormat(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  /**
   * Recognises the format from the first bytes of a file.
   *
   * @param head the first {@link #HEAD_LENGTH} bytes, or all of them if the file is shorter
   * @throws ImageDecodeException NOT_AN_IMAGE, with a message saying what the data looks like
   */
  static ImageFormat sniff(byte[] head) throws ImageDecodeException {
    Optional<ImageFormat> format = recognise(head);
    if (format.isEmpty()) {
      throw new ImageDecodeException(ImageDecodeException.Reason.NOT_AN_IMAGE, describeUnsupported(head));
    }
    return format.get();
  }

  /** The format whose magic number {@code head} starts with; empty when none does. */
  static Optional<ImageFormat> recognise(byte[] head) {
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (startsWith(head, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 0, 'G', 'I', 'F', '8', '9', 'a')) {
      return Optional.of(GIF);
    }
    if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of(WEBP);
    }
    // "BM" alone is too weak (a text file can start with it): also require a known DIB header size.
    if (startsWith(head, 0, 'B', 'M') && head.length >= 18) {
      int dibHeaderSize = (head[14] & 0xFF) | (head[15] & 0xFF) << 8 | (head[16] & 0xFF) << 16 | (head[17] & 0xFF) << 24;
      if (DIB_HEADER_SIZES.contains(dibHeaderSize)) {
        return Optional.of(BMP);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the file visibly stops before its end marker. Used to tell a truncated file from a
   * damaged one when a codec fails with a message that does not say which.
   */
  boolean endsEarly(ImageInputStream in) throws IOException {
    long length = in.length();
    if (length < 0) {
      return false;
    }
    return switch (this) {
      case JPEG -> !lastBytesAre(in, length, 0xFF, 0xD9);
      case GIF -> !lastBytesAre(in, length, 0x3B);
      case PNG -> ContainerChunks.png(in, "IEND").isEmpty();
      case BMP -> bmpExpectedLength(in) > length;
      case WEBP -> declaredSize(in, 4) + 8 > length;
    };
  }

  private static boolean lastBytesAre(ImageInputStream in, long length, int... marker) throws IOException {
    // Some servers pad files with zeros after the end marker; skip a little of that.
    byte[] tail = new byte[(int) Math.min(length, 256)];
    in.seek(length - tail.length);
    in.readFully(tail);
    int end = tail.length;
    while (end > 0 && tail[end - 1] == 0) {
      end--;
    }
    return end >= marker.length && startsWith(Arrays.copyOfRange(tail, end - marker.length, end), 0, marker);
  }

  /** The BMP file size from its header, or computed from the pixel layout when the header leaves it 0. */
  private static long bmpExpectedLength(ImageInputStream in) throws IOException {
    long declared = declaredSize(in, 2);
    if (declared > 0) {
      return declared;
    }
    in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
    try {
      in.seek(10);
      long pixelOffset = in.readUnsignedInt();
      boolean core = in.readUnsignedInt() == 12; // BITMAPCOREHEADER: 16-bit sizes, no compression field
      long width = core ? in.readUnsignedShort() : in.readInt();
      long height = Math.abs((long) (core ? in.readUnsignedShort() : in.readInt()));
      in.skipBytes(2); // planes
      int bitsPerPixel = in.readUnsignedShort();
      long compression = core ? 0 : in.readUnsignedInt();
      if (compression != 0 && compression != 3) {
        return 0; // run-length encoded: the size cannot be known without decoding
      }
      long rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
      return pixelOffset + rowBytes * height;
    } finally {
      in.setByteOrder(ByteOrder.BIG_ENDIAN);
    }
  }

  private static long declaredSize(ImageInputStream in, int offset) throws IOException {
    in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
    in.seek(offset);
    long size = in.readUnsignedInt();
    in.setByteOrder(ByteOrder.BIG_ENDIAN);
    return size;
  }

  /** A user-facing explanation of data that is not a supported image. */
  static String describeUnsupported(byte[] head) {
    if (head.length == 0) {
      return "the file is empty: it contains no image data";
    }
    String supported = "; send a " + SUPPORTED + " image";
    if (startsWith(head, 0, 'I', 'I', '*', 0) || startsWith(head, 0, 'M', 'M', 0, '*')) {
      return "the file is a TIFF image, which is not supported" + supported;
    }
    if (startsWith(head, 4, 'f', 't', 'y', 'p')) {
      return "the file is a HEIC/AVIF image, which is not supported" + supported;
    }
    if (startsWith(head, 0, '%', 'P', 'D', 'F')) {
      return "the file is a PDF document, not an image" + supported;
    }
    String text = new String(head, StandardCharsets.ISO_8859_1).replace("\u00EF\u00BB\u00BF", "").stripLeading();
    if (text.startsWith("<")) {
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.startsWith("<svg") || lower.contains("<svg")) {
        return "the file is an SVG drawing, which is not supported" + supported;
      }
      return "the file is not an image: it looks like an HTML or XML page (a web page served instead of the picture?)";
    }
    return "the file is not an image in a supported format (" + SUPPORTED + ")";
  }

  private static boolean startsWith(byte[] data, int offset, int... expected) {
    if (data.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((data[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
