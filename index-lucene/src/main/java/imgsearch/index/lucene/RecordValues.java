package imgsearch.index.lucene;

import imgsearch.index.ImageRecord;
import imgsearch.index.IndexUnavailableException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * An image's record as one binary doc value, so that a search reads each hit's record with one
 * uncompressed random read instead of decompressing a block of stored fields: at thousands of queries
 * per second that block decompression cost as much as the graph search (BENCHMARKS.md, kNN at scale). The
 * attribution is kept as the JSON the stored fields hold and parsed only when present.
 */
final class RecordValues {
  private RecordValues() {}

  /** Doc values field holding the encoded record. */
  static final String FIELD = "record";
  private static final byte VERSION = 1;

  /**
   * The record, with its attribution already serialised as JSON (or null); null when it is too long for a
   * doc value (the stored fields then serve it).
   */
  static BytesRef encode(ImageRecord r, String attributionJson) {
    try {
      ByteBuffersDataOutput out = new ByteBuffersDataOutput();
      out.writeByte(VERSION);
      out.writeString(r.id());
      out.writeString(r.path());
      out.writeString(r.contentHash());
      out.writeVLong(r.sizeBytes());
      out.writeVInt(r.width());
      out.writeVInt(r.height());
      writeNullable(out, r.split());
      writeNullable(out, r.label());
      writeNullable(out, attributionJson);
      out.writeVInt(r.descriptors().size());
      for (String d : r.descriptors()) {
        out.writeString(d);
      }
      byte[] bytes = out.toArrayCopy();
      return bytes.length > Short.MAX_VALUE ? null : new BytesRef(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen in memory", e);
    }
  }

  /** The fields of a record encoded by {@link #encode}; attribution still as JSON. */
  record Decoded(String id, String path, String hash, long size, int width, int height, String split, String label,
      String attributionJson, Set<String> descriptors) {}

  static Decoded decode(BytesRef value) throws IOException {
    ByteArrayDataInput in = new ByteArrayDataInput(value.bytes, value.offset, value.length);
    byte version = in.readByte();
    if (version != VERSION) {
      throw new IndexUnavailableException("unknown record encoding " + version
          + "; use the imgsearch that built the index");
    }
    String id = in.readString();
    String path = in.readString();
    String hash = in.readString();
    long size = in.readVLong();
    int width = in.readVInt();
    int height = in.readVInt();
    String split = readNullable(in);
    String label = readNullable(in);
    String attribution = readNullable(in);
    int n = in.readVInt();
    Set<String> descriptors = new HashSet<>();
    for (int i = 0; i < n; i++) {
      descriptors.add(in.readString());
    }
    return new Decoded(id, path, hash, size, width, height, split, label, attribution, descriptors);
  }

  private static void writeNullable(ByteBuffersDataOutput out, String s) throws IOException {
    out.writeByte((byte) (s == null ? 0 : 1));
    if (s != null) {
      out.writeString(s);
    }
  }

  private static String readNullable(ByteArrayDataInput in) throws IOException {
    return in.readByte() == 0 ? null : in.readString();
  }
}
