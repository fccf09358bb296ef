package imgsearch.testing.deep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models by hand, straight in protobuf wire format, so tests can bring models with
 * the same input and output names, types and shapes as the real exports (IR version 8, opset 13).
 */
public final class OnnxWriter {

  /** ONNX element types. */
  public static final int FLOAT = 1;
  public static final int INT64 = 7;

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private final List<byte[]> valueInfos = new ArrayList<>();

  /** A graph input; each dim is a {@code Long}/{@code Integer} size or a {@code String} parameter. */
  /** Adds a part several graphs share, written as a function of the writer. */
  public OnnxWriter apply(java.util.function.UnaryOperator<OnnxWriter> part) {
    return part.apply(this);
  }

  public OnnxWriter input(String name, int elementType, Object... dims) {
    inputs.add(encodeValueInfo(name, elementType, dims));
    return this;
  }

  /** A graph output; dims as for {@link #input}. */
  public OnnxWriter output(String name, int elementType, Object... dims) {
    outputs.add(encodeValueInfo(name, elementType, dims));
    return this;
  }

  /**
   * A shape annotation of an intermediate tensor ({@code GraphProto.value_info}), as exporters write
   * them; dims as for {@link #input}. Some exports annotate every tensor with batch 1.
   */
  public OnnxWriter valueInfo(String name, int elementType, Object... dims) {
    valueInfos.add(encodeValueInfo(name, elementType, dims));
    return this;
  }

  /** A float initializer (weights). */
  public OnnxWriter weights(String name, float[] data, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      raw.putFloat(f);
    }
    initializers.add(tensor(name, FLOAT, raw.array(), dims));
    return this;
  }

  /** An int64 initializer (e.g. axes). */
  public OnnxWriter longs(String name, long[] data, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : data) {
      raw.putLong(v);
    }
    initializers.add(tensor(name, INT64, raw.array(), dims));
    return this;
  }

  /**
   * A node; {@code intAttributes} alternate names and values, each an integer ({@code "axis", 1}) or a
   * {@code long[]} ({@code "kernel_shape", new long[] {8, 8}}).
   */
  public OnnxWriter node(String opType, List<String> in, List<String> out, Object... intAttributes) {
    Proto node = new Proto();
    for (String s : in) {
      node.string(1, s);
    }
    for (String s : out) {
      node.string(2, s);
    }
    node.string(3, opType + "_" + nodes.size());
    node.string(4, opType);
    for (int i = 0; i < intAttributes.length; i += 2) {
      Proto attr = new Proto();
      attr.string(1, (String) intAttributes[i]);
      if (intAttributes[i + 1] instanceof long[] values) {
        for (long v : values) {
          attr.varint(8, v); // AttributeProto.ints
        }
        attr.varint(20, 7); // AttributeProto.INTS
      } else {
        attr.varint(3, ((Number) intAttributes[i + 1]).longValue());
        attr.varint(20, 2); // AttributeProto.INT
      }
      node.message(5, attr);
    }
    nodes.add(node.bytes());
    return this;
  }

  /** The serialized ModelProto. */
  public byte[] toBytes() {
    Proto graph = new Proto();
    nodes.forEach(n -> graph.bytes(1, n));
    graph.string(2, "test");
    initializers.forEach(t -> graph.bytes(5, t));
    inputs.forEach(v -> graph.bytes(11, v));
    outputs.forEach(v -> graph.bytes(12, v));
    valueInfos.forEach(v -> graph.bytes(13, v));
    Proto opset = new Proto();
    opset.string(1, "");
    opset.varint(2, 13);
    Proto model = new Proto();
    model.varint(1, 8);
    model.string(2, "imgsearch-test");
    model.message(7, graph);
    model.message(8, opset);
    return model.bytes();
  }

  public Path write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, toBytes());
  }

  private static byte[] tensor(String name, int type, byte[] raw, long... dims) {
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, type);
    t.string(8, name);
    t.bytes(9, raw);
    return t.bytes();
  }

  private static byte[] encodeValueInfo(String name, int elementType, Object... dims) {
    Proto shape = new Proto();
    for (Object d : dims) {
      Proto dim = new Proto();
      if (d instanceof String param) {
        dim.string(2, param);
      } else {
        dim.varint(1, ((Number) d).longValue());
      }
      shape.message(1, dim);
    }
    Proto tensorType = new Proto();
    tensorType.varint(1, elementType);
    tensorType.message(2, shape);
    Proto type = new Proto();
    type.message(1, tensorType);
    Proto info = new Proto();
    info.string(1, name);
    info.message(2, type);
    return info.bytes();
  }

  /** A protobuf message under construction. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      tag(field, 0);
      rawVarint(value);
    }

    void string(int field, String s) {
      bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    void message(int field, Proto m) {
      bytes(field, m.bytes());
    }

    void bytes(int field, byte[] b) {
      tag(field, 2);
      rawVarint(b.length);
      out.writeBytes(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      rawVarint((long) field << 3 | wireType);
    }

    private void rawVarint(long value) {
      long v = value;
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
