package imgsearch.eval.knn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The texmex vector files that ANN benchmarks share (<a href="http://corpus-texmex.irisa.fr/">texmex</a>):
 * {@code .fvecs} holds per vector a little-endian int32 dimension followed by that many float32 values;
 * {@code .ivecs} the same with int32 values (for ground truth: the ids of a query's exact nearest
 * neighbours, best first, an id being a vector's position in the base file, from 0).
 *
 * <p>Base files of millions of vectors are read one vector at a time ({@link FvecsReader}) so that they
 * never need to fit in memory; query and truth files are small and read whole.
 */
public final class VectorFiles {
  private VectorFiles() {}

  /** Reads every vector of an {@code .fvecs} file. */
  public static List<float[]> readFvecs(Path file) throws IOException {
    try (FvecsReader r = new FvecsReader(file)) {
      List<float[]> out = new ArrayList<>();
      for (float[] v = r.next(); v != null; v = r.next()) {
        out.add(v);
      }
      return out;
    }
  }

  /** Reads every row of an {@code .ivecs} file. */
  public static List<int[]> readIvecs(Path file) throws IOException {
    List<int[]> out = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      while (readFully(in, header.array())) {
        int n = header.getInt(0);
        if (n < 0 || n > 1 << 24) {
          throw new IOException(file + " is not an .ivecs file: row " + out.size() + " claims " + n + " values");
        }
        ByteBuffer row = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(in, row.array())) {
          throw new IOException(file + " ends in the middle of row " + out.size());
        }
        int[] ids = new int[n];
        row.asIntBuffer().get(ids);
        out.add(ids);
      }
    }
    return out;
  }

  /** The dimension of the first vector of an {@code .fvecs} file, and how many vectors it holds. */
  public static Shape shapeOf(Path file) throws IOException {
    long size = Files.size(file);
    if (size == 0) {
      return new Shape(0, 0);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = new byte[4];
      if (!readFully(in, b)) {
        throw new IOException(file + " is too short to be an .fvecs file");
      }
      int dim = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
      long record = 4L + 4L * dim;
      if (dim <= 0 || size % record != 0) {
        throw new IOException(file + " is not an .fvecs file of fixed dimension (first vector: " + dim
            + " values, file size " + size + " bytes)");
      }
      return new Shape(dim, size / record);
    }
  }

  /**
   * How many vectors a file holds and how long they are.
   *
   * @param dimension values per vector
   * @param count vectors
   */
  public record Shape(int dimension, long count) {}

  /** Reads an {@code .fvecs} file one vector at a time. */
  public static final class FvecsReader implements Closeable {
    private final Path file;
    private final InputStream in;
    private final byte[] header = new byte[4];
    private byte[] body = new byte[0];
    private long read;

    public FvecsReader(Path file) throws IOException {
      this.file = file;
      this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
    }

    /** The next vector, or null at the end of the file. */
    public float[] next() throws IOException {
      if (!readFully(in, header)) {
        return null;
      }
      int dim = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (dim <= 0 || dim > 1 << 24) {
        throw new IOException(file + " is not an .fvecs file: vector " + read + " claims " + dim + " values");
      }
      if (body.length != 4 * dim) {
        body = new byte[4 * dim];
      }
      if (!readFully(in, body)) {
        throw new IOException(file + " ends in the middle of vector " + read);
      }
      float[] v = new float[dim];
      ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      read++;
      return v;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Writes an {@code .fvecs} or {@code .ivecs} file one row at a time. */
  public static final class Writer implements Closeable {
    private final OutputStream out;
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    public Writer(Path file) throws IOException {
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    }

    /** Appends one vector. */
    public void write(float[] v) throws IOException {
      ByteBuffer b = row(v.length);
      for (float x : v) {
        b.putFloat(x);
      }
      out.write(b.array(), 0, b.position());
    }

    /** Appends one row of ids. */
    public void write(int[] ids) throws IOException {
      ByteBuffer b = row(ids.length);
      for (int x : ids) {
        b.putInt(x);
      }
      out.write(b.array(), 0, b.position());
    }

    private ByteBuffer row(int n) {
      int bytes = 4 + 4 * n;
      if (buffer.capacity() < bytes) {
        buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
      buffer.clear();
      buffer.putInt(n);
      return buffer;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Fills {@code b}; false when the stream ends before its first byte, an exception when it ends later. */
  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int n = in.read(b, off, b.length - off);
      if (n < 0) {
        if (off == 0) {
          return false;
        }
        throw new EOFException("the file ends in the middle of a row (" + off + " of " + b.length + " bytes)");
      }
      off += n;
    }
    return true;
  }
}
