package imgsearch.image;

import java.io.IOException;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO stream over bytes in memory that stops codecs from reading past the end forever.
 *
 * <p>Some codecs treat the end of the data as endless zero bits: TwelveMonkeys' lossless WebP bit
 * reader catches the EOFException and carries on, so a 46-byte file with one damaged header byte
 * kept it busy for 45 seconds. After {@link #MAX_READS_AT_END} attempts to read at the end this
 * stream throws an IIOException, which such codecs do not swallow.
 */
final class InMemoryImageInput extends ImageInputStreamImpl {

  /** Far more than any codec needs to notice the end of valid data (bit readers prefetch a few bytes). */
  static final int MAX_READS_AT_END = 4096;

  private final byte[] data;
  private final int offset;
  private final int length;
  private int readsAtEnd;

  InMemoryImageInput(byte[] data) {
    this(data, 0, data.length);
  }

  InMemoryImageInput(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + data.length);
    }
    this.data = data;
    this.offset = offset;
    this.length = length;
  }

  @Override
  public int read() throws IOException {
    checkClosed();
    bitOffset = 0;
    if (streamPos >= length) {
      return atEnd();
    }
    return data[offset + (int) streamPos++] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    checkClosed();
    if (off < 0 || len < 0 || off + len > buffer.length) {
      throw new IndexOutOfBoundsException("offset " + off + ", length " + len + " of " + buffer.length);
    }
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (streamPos >= length) {
      return atEnd();
    }
    int count = (int) Math.min(len, length - streamPos);
    System.arraycopy(data, offset + (int) streamPos, buffer, off, count);
    streamPos += count;
    return count;
  }

  @Override
  public long length() {
    return length;
  }

  private int atEnd() throws IIOException {
    if (++readsAtEnd > MAX_READS_AT_END) {
      throw new IIOException("the codec kept reading past the end of the data");
    }
    return -1;
  }
}
