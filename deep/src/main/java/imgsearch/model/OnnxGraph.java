package imgsearch.model;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The signature and node list of an ONNX model, read straight from its protobuf encoding without
 * loading the weights: graph inputs, graph outputs and the shape annotations of intermediate tensors
 * ({@code value_info}) with element types and shapes, and each node's operator and output names. This
 * lets the loader check a model against the catalogue, with a clear message, before handing hundreds of
 * megabytes to ONNX Runtime.
 *
 * @param inputs the graph's inputs that must be fed, in order
 * @param defaulted inputs that also have an initializer: a caller may override them but need not (before
 *     IR version 4 every weight was listed this way)
 * @param outputs the graph's outputs, in order
 * @param valueInfo declared types and shapes of intermediate tensors, in order
 * @param nodes the graph's nodes, in order
 */
public record OnnxGraph(List<Value> inputs, List<Value> defaulted, List<Value> outputs, List<Value> valueInfo,
    List<Node> nodes) {

  /** ONNX {@code TensorProto.DataType} FLOAT. */
  public static final int FLOAT = 1;
  /** ONNX {@code TensorProto.DataType} INT64. */
  public static final int INT64 = 7;

  /**
   * A graph input or output.
   *
   * @param elementType ONNX element type ({@link #FLOAT}, {@link #INT64}, ...), 0 when not a tensor
   * @param dims one entry per axis: the fixed size, or -1 for a named or unknown size; empty when the
   *     shape is not declared
   */
  public record Value(String name, int elementType, List<Long> dims) {

    /** Whether axis {@code axis} is declared with exactly {@code size}, or left open. */
    public boolean axisAccepts(int axis, long size) {
      return dims.isEmpty() || dims.get(axis) == -1 || dims.get(axis) == size;
    }

    /** Declared rank, or -1 when no shape is declared. */
    public int rank() {
      return dims.isEmpty() ? -1 : dims.size();
    }

    /** E.g. {@code pixel_values float[?,3,224,224]}. */
    public String describe() {
      StringBuilder sb = new StringBuilder(name).append(' ').append(typeName(elementType)).append('[');
      for (int i = 0; i < dims.size(); i++) {
        sb.append(i > 0 ? "," : "").append(dims.get(i) == -1 ? "?" : dims.get(i).toString());
      }
      return sb.append(']').toString();
    }
  }

  /** A node: its operator and the names of the tensors it produces. */
  public record Node(String opType, List<String> outputs) {}

  public OnnxGraph {
    inputs = List.copyOf(inputs);
    defaulted = List.copyOf(defaulted);
    outputs = List.copyOf(outputs);
    valueInfo = List.copyOf(valueInfo);
    nodes = List.copyOf(nodes);
  }

  /** Reads the graph of an {@code .onnx} file. */
  public static OnnxGraph read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16)) {
      return read(in);
    }
  }

  /** Reads the graph of a serialized {@code ModelProto}. */
  public static OnnxGraph read(InputStream in) throws IOException {
    Reader r = new Reader(in);
    GraphBuilder graph = new GraphBuilder();
    boolean sawGraph = false;
    while (!r.atEnd(Long.MAX_VALUE)) {
      int tag = r.tag();
      if (tag == -1) {
        break;
      }
      if (tag >>> 3 == 7 && (tag & 7) == 2) {
        long end = r.messageEnd();
        readGraph(r, end, graph);
        sawGraph = true;
      } else {
        r.skipField(tag);
      }
    }
    if (!sawGraph) {
      throw new IOException("not an ONNX model: no graph found");
    }
    return graph.build();
  }

  /** Inputs by name. */
  public Optional<Value> input(String name) {
    return inputs.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** Outputs by name. */
  public Optional<Value> output(String name) {
    return outputs.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** The declared type and shape of a tensor: a graph output's, else its {@code value_info}'s. */
  public Optional<Value> declared(String tensor) {
    return output(tensor).or(() -> valueInfo.stream().filter(v -> v.name().equals(tensor)).findFirst());
  }

  /** The output tensor name of the last node with this operator type. */
  public Optional<String> lastOutputOf(String opType) {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (n.opType().equals(opType) && !n.outputs().isEmpty()) {
        return Optional.of(n.outputs().get(0));
      }
    }
    return Optional.empty();
  }

  /**
   * Inputs (those with a default last, marked so) and outputs, e.g. {@code (pixel_values
   * float[?,3,224,224]) -> (image_embeds float[?,512])}.
   */
  public String describeSignature() {
    List<String> in = new ArrayList<>(inputs.stream().map(Value::describe).toList());
    defaulted.forEach(v -> in.add(v.describe() + " (has a default)"));
    return "(" + String.join(", ", in) + ") -> (" + String.join(", ", outputs.stream().map(Value::describe).toList())
        + ")";
  }

  static String typeName(int elementType) {
    return switch (elementType) {
      case 0 -> "?";
      case FLOAT -> "float";
      case 2 -> "uint8";
      case 3 -> "int8";
      case 6 -> "int32";
      case INT64 -> "int64";
      case 9 -> "bool";
      case 10 -> "float16";
      case 11 -> "double";
      case 16 -> "bfloat16";
      default -> "type" + elementType;
    };
  }

  private static void readGraph(Reader r, long end, GraphBuilder g) throws IOException {
    while (!r.atEnd(end)) {
      int tag = r.tag();
      int field = tag >>> 3;
      if ((tag & 7) != 2) {
        r.skipField(tag);
        continue;
      }
      long fieldEnd = r.messageEnd();
      long len = fieldEnd - r.position();
      switch (field) {
        case 1 -> g.nodes.add(readNode(r, fieldEnd));
        case 5 -> g.initializers.add(readTensorName(r, fieldEnd));
        case 11 -> g.inputs.add(readValueInfo(r, fieldEnd));
        case 12 -> g.outputs.add(readValueInfo(r, fieldEnd));
        case 13 -> g.valueInfo.add(readValueInfo(r, fieldEnd));
        default -> r.skip(len);
      }
      r.expectAt(fieldEnd);
    }
  }

  private static Node readNode(Reader r, long end) throws IOException {
    String opType = "";
    List<String> outputs = new ArrayList<>();
    while (!r.atEnd(end)) {
      int tag = r.tag();
      int field = tag >>> 3;
      if (field == 2 && (tag & 7) == 2) {
        outputs.add(r.string());
      } else if (field == 4 && (tag & 7) == 2) {
        opType = r.string();
      } else {
        r.skipField(tag);
      }
    }
    return new Node(opType, outputs);
  }

  private static String readTensorName(Reader r, long end) throws IOException {
    String name = "";
    while (!r.atEnd(end)) {
      int tag = r.tag();
      if (tag >>> 3 == 8 && (tag & 7) == 2) {
        name = r.string();
      } else {
        r.skipField(tag);
      }
    }
    return name;
  }

  private static Value readValueInfo(Reader r, long end) throws IOException {
    String name = "";
    int elementType = 0;
    List<Long> dims = List.of();
    while (!r.atEnd(end)) {
      int tag = r.tag();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        name = r.string();
      } else if (field == 2 && (tag & 7) == 2) {
        long typeEnd = r.messageEnd();
        while (!r.atEnd(typeEnd)) {
          int t = r.tag();
          if (t >>> 3 == 1 && (t & 7) == 2) { // TypeProto.tensor_type
            long tensorEnd = r.messageEnd();
            while (!r.atEnd(tensorEnd)) {
              int tt = r.tag();
              if (tt >>> 3 == 1 && (tt & 7) == 0) {
                elementType = (int) r.varint();
              } else if (tt >>> 3 == 2 && (tt & 7) == 2) {
                dims = readShape(r, r.messageEnd());
              } else {
                r.skipField(tt);
              }
            }
          } else {
            r.skipField(t);
          }
        }
      } else {
        r.skipField(tag);
      }
    }
    return new Value(name, elementType, dims);
  }

  private static List<Long> readShape(Reader r, long end) throws IOException {
    List<Long> dims = new ArrayList<>();
    while (!r.atEnd(end)) {
      int tag = r.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) { // TensorShapeProto.dim
        long dimEnd = r.messageEnd();
        long value = -1;
        while (!r.atEnd(dimEnd)) {
          int t = r.tag();
          if (t >>> 3 == 1 && (t & 7) == 0) {
            value = r.varint();
          } else {
            r.skipField(t);
          }
        }
        dims.add(value);
      } else {
        r.skipField(tag);
      }
    }
    return dims;
  }

  private static final class GraphBuilder {
    final List<Node> nodes = new ArrayList<>();
    final List<String> initializers = new ArrayList<>();
    final List<Value> inputs = new ArrayList<>();
    final List<Value> outputs = new ArrayList<>();
    final List<Value> valueInfo = new ArrayList<>();

    OnnxGraph build() {
      // An input that is also an initializer has a default value (and before IR version 4 every weight
      // was listed so): ONNX Runtime does not require it.
      Set<String> weights = new HashSet<>(initializers);
      List<Value> required = inputs.stream().filter(v -> !weights.contains(v.name())).toList();
      List<Value> defaulted = inputs.stream().filter(v -> weights.contains(v.name())).toList();
      return new OnnxGraph(required, defaulted, outputs, valueInfo, nodes);
    }
  }

  /** Just enough of the protobuf wire format, streaming, with skips for the weights. */
  private static final class Reader {
    private final InputStream in;
    private long position;

    Reader(InputStream in) {
      this.in = in;
    }

    long position() {
      return position;
    }

    boolean atEnd(long end) throws IOException {
      if (position > end) {
        throw new IOException("damaged ONNX file: a field runs past its message");
      }
      return position == end;
    }

    void expectAt(long end) throws IOException {
      if (position != end) {
        throw new IOException(String.format(Locale.ROOT, "damaged ONNX file at byte %d", position));
      }
    }

    /** The next tag, or -1 at the end of the stream. */
    int tag() throws IOException {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      position++;
      long value = b & 0x7f;
      int shift = 7;
      while ((b & 0x80) != 0) {
        b = readByte();
        value |= (long) (b & 0x7f) << shift;
        shift += 7;
      }
      return (int) value;
    }

    /** Reads a length prefix and returns where the length-delimited field ends. */
    long messageEnd() throws IOException {
      long len = varint();
      return position + len;
    }

    long varint() throws IOException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IOException("damaged ONNX file: varint too long");
    }

    String string() throws IOException {
      long len = varint();
      if (len > 1 << 20) {
        throw new IOException("damaged ONNX file: name of " + len + " bytes");
      }
      byte[] bytes = in.readNBytes((int) len);
      if (bytes.length != len) {
        throw new EOFException("ONNX file ends early");
      }
      position += len;
      return new String(bytes, StandardCharsets.UTF_8);
    }

    void skipField(int tag) throws IOException {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> skip(8);
        case 2 -> skip(varint());
        case 5 -> skip(4);
        default -> throw new IOException("damaged ONNX file: wire type " + (tag & 7));
      }
    }

    void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new EOFException("ONNX file ends early");
          }
          skipped = 1;
        }
        left -= skipped;
      }
      position += n;
    }

    private int readByte() throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("ONNX file ends early");
      }
      position++;
      return b;
    }
  }
}
