package imgsearch.image;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds one metadata chunk in a PNG or WebP (RIFF) file by walking the chunk headers, without
 * decoding anything. ImageIO's PNG reader keeps iCCP and eXIf out of the decoded image, and the
 * layouts are simple enough that walking them is cheaper than asking for the metadata tree.
 */
final class ContainerChunks {

  /** Chunks larger than this are skipped: no real ICC profile or EXIF block comes close. */
  static final int MAX_CHUNK_BYTES = 16 << 20;

  private ContainerChunks() {}

  /** The data of the first PNG chunk of the given type ("iCCP", "eXIf"), if any. */
  static Optional<byte[]> png(ImageInputStream in, String type) throws IOException {
    int wanted = fourCc(type, ByteOrder.BIG_ENDIAN);
    in.setByteOrder(ByteOrder.BIG_ENDIAN);
    long length = in.length();
    long position = 8; // after the signature
    while (position + 8 <= length) {
      in.seek(position);
      long dataLength = in.readUnsignedInt();
      int chunkType = in.readInt();
      if (chunkType == wanted) {
        return readData(in, dataLength, length);
      }
      if (chunkType == fourCc("IEND", ByteOrder.BIG_ENDIAN)) {
        break;
      }
      position += 12 + dataLength; // length, type, data, CRC
    }
    return Optional.empty();
  }

  /** The data of the first chunk of the given FourCC ("EXIF", "ICCP") in a RIFF (WebP) file, if any. */
  static Optional<byte[]> riff(ImageInputStream in, String fourCc) throws IOException {
    int wanted = fourCc(fourCc, ByteOrder.LITTLE_ENDIAN);
    in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
    try {
      long length = in.length();
      long position = 12; // after "RIFF", the size and "WEBP"
      while (position + 8 <= length) {
        in.seek(position);
        int chunkType = in.readInt();
        long dataLength = in.readUnsignedInt();
        if (chunkType == wanted) {
          return readData(in, dataLength, length);
        }
        position += 8 + dataLength + (dataLength & 1); // chunks are padded to an even size
      }
      return Optional.empty();
    } finally {
      in.setByteOrder(ByteOrder.BIG_ENDIAN);
    }
  }

  private static Optional<byte[]> readData(ImageInputStream in, long dataLength, long streamLength) throws IOException {
    if (dataLength > MAX_CHUNK_BYTES || in.getStreamPosition() + dataLength > streamLength) {
      return Optional.empty();
    }
    byte[] data = new byte[(int) dataLength];
    in.readFully(data);
    return Optional.of(data);
  }

  /** The FourCC as the int the stream returns when reading it in the given byte order. */
  private static int fourCc(String code, ByteOrder order) {
    byte[] b = code.getBytes(StandardCharsets.US_ASCII);
    return order == ByteOrder.BIG_ENDIAN
        ? (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF)
        : (b[3] & 0xFF) << 24 | (b[2] & 0xFF) << 16 | (b[1] & 0xFF) << 8 | (b[0] & 0xFF);
  }
}
