package imgsearch.index.lucene;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.codecs.hnsw.FlatFieldVectorsWriter;
import org.apache.lucene.index.DocsWithFieldSet;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.util.RamUsageEstimator;

/**
 * Buffers a flat field's vectors until its segment is flushed, in native memory instead of one Java array
 * per vector (what Lucene's own field writer keeps). The file written is the same.
 *
 * <p>Why: a segment buffers up to the writer's whole RAM buffer of raw pixels (150 KB a photo). On the Java
 * heap those arrays outlive several young collections, so each was copied and then promoted, and the
 * collector, alone on one core while the indexing threads waited, spent most of its pauses on first touches
 * of the old generation's fresh pages (BENCHMARKS.md). Here the indexing threads write them to memory of
 * their own, in parallel, and the collector never sees them.
 *
 * <p>Vectors are kept in chunks of a few MB of one arena, freed as soon as the segment is written
 * ({@link #finish}). Not left to the garbage collector: this writer lives long enough to reach the old
 * generation, which a run may never collect, so memory it held would pile up segment after segment. Only
 * a segment that is aborted, and so never finished, leaves its arena to a {@link Cleaner}.
 */
final class NativeFieldVectorsWriter<T> extends FlatFieldVectorsWriter<T> {

  private static final long SHALLOW_SIZE = RamUsageEstimator.shallowSizeOfInstance(NativeFieldVectorsWriter.class);
  private static final long CHUNK_BYTES = 4L << 20;
  private static final ValueLayout.OfFloat FLOAT_LE =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  /** One thread for the whole process, idle unless a segment is aborted. */
  private static final Cleaner ABORTED_SEGMENTS = Cleaner.create();

  private final FieldInfo fieldInfo;
  private final boolean floats;
  private final int dimension;
  private final long vectorBytes;
  private final int vectorsPerChunk;
  private final DocsWithFieldSet docsWithField = new DocsWithFieldSet();
  private final Arena arena = Arena.ofShared();
  private final Cleaner.Cleanable freeMemory;
  private List<MemorySegment> chunks = new ArrayList<>();
  private int count;
  private int lastDocId = -1;
  private boolean finished;

  /** A writer for {@code fieldInfo}'s vectors, byte or float as the field says. */
  static NativeFieldVectorsWriter<?> of(FieldInfo fieldInfo) {
    return fieldInfo.getVectorEncoding() == VectorEncoding.BYTE
        ? new NativeFieldVectorsWriter<byte[]>(fieldInfo)
        : new NativeFieldVectorsWriter<float[]>(fieldInfo);
  }

  private NativeFieldVectorsWriter(FieldInfo fieldInfo) {
    this.fieldInfo = fieldInfo;
    this.floats = fieldInfo.getVectorEncoding() == VectorEncoding.FLOAT32;
    this.dimension = fieldInfo.getVectorDimension();
    this.vectorBytes = (long) dimension * (floats ? Float.BYTES : Byte.BYTES);
    this.vectorsPerChunk = (int) Math.max(1, CHUNK_BYTES / vectorBytes);
    this.freeMemory = ABORTED_SEGMENTS.register(this, arena::close);
  }

  @Override
  public void addValue(int docId, T vector) {
    if (finished) {
      throw new IllegalStateException("already finished, cannot add more values");
    }
    if (docId == lastDocId) {
      throw new IllegalArgumentException("VectorValuesField \"" + fieldInfo.name
          + "\" appears more than once in this document (only one value is allowed per field)");
    }
    int inChunk = count % vectorsPerChunk;
    if (inChunk == 0) {
      chunks.add(arena.allocate(vectorsPerChunk * vectorBytes, 64));
    }
    MemorySegment chunk = chunks.get(chunks.size() - 1);
    long at = inChunk * vectorBytes;
    if (floats) {
      MemorySegment.copy((float[]) vector, 0, chunk, FLOAT_LE, at, dimension);
    } else {
      MemorySegment.copy((byte[]) vector, 0, chunk, ValueLayout.JAVA_BYTE, at, dimension);
    }
    docsWithField.add(docId);
    lastDocId = docId;
    count++;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T copyValue(T vector) {
    return floats ? (T) ((float[]) vector).clone() : (T) ((byte[]) vector).clone();
  }

  /** The vectors in order, each read out of native memory into a new array when asked for. */
  @Override
  public List<T> getVectors() {
    return new AbstractList<>() {
      @Override
      @SuppressWarnings("unchecked")
      public T get(int ord) {
        Objects.checkIndex(ord, count);
        MemorySegment chunk = chunks.get(ord / vectorsPerChunk);
        long at = (ord % vectorsPerChunk) * vectorBytes;
        if (floats) {
          float[] v = new float[dimension];
          MemorySegment.copy(chunk, FLOAT_LE, at, v, 0, dimension);
          return (T) v;
        }
        byte[] v = new byte[dimension];
        MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, at, v, 0, dimension);
        return (T) v;
      }

      @Override
      public int size() {
        return count;
      }
    };
  }

  @Override
  public DocsWithFieldSet getDocsWithFieldSet() {
    return docsWithField;
  }

  /** Called once the segment's vectors are written: the native memory can go. */
  @Override
  public void finish() {
    finished = true;
    chunks = List.of();
    freeMemory.clean();
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public long ramBytesUsed() {
    return SHALLOW_SIZE + docsWithField.ramBytesUsed() + (long) chunks.size() * (vectorsPerChunk * vectorBytes
        + RamUsageEstimator.NUM_BYTES_OBJECT_REF);
  }
}
