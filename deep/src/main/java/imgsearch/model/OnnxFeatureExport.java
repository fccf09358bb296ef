package imgsearch.model;

import imgsearch.file.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Makes an intermediate tensor of an ONNX model available as a graph output, so ONNX Runtime returns
 * it (ONNX Runtime can only return declared outputs). Used to read a classification CNN's global
 * features, the output of its last {@code GlobalAveragePool}, instead of its class scores.
 *
 * <p>It relies on a protobuf rule: when a message's encoding is followed by another encoding of the same
 * message, a parser merges them, appending repeated fields. Appending {@code ModelProto{graph:
 * GraphProto{output: [ValueInfoProto{name, float tensor}]}}} to the file therefore adds one graph output
 * and leaves every other byte, weights included, as it was.
 */
public final class OnnxFeatureExport {

  private OnnxFeatureExport() {}

  /**
   * Writes {@code target} as a copy of {@code source} with {@code tensorName} declared as an extra float
   * graph output (no shape is declared; ONNX Runtime infers it). The write is atomic.
   */
  public static void exposeOutput(Path source, String tensorName, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    AtomicFiles.replaceConcurrently(target, tmp -> {
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.APPEND)) {
        out.write(extraOutput(tensorName));
      }
    });
  }

  /** The bytes of {@code ModelProto{graph{output{name: tensorName, type{tensor_type{elem_type: FLOAT}}}}}}. */
  static byte[] extraOutput(String tensorName) {
    byte[] tensorType = message(field(1, 0), varint(OnnxGraph.FLOAT)); // TypeProto.Tensor.elem_type
    byte[] type = lengthDelimited(1, tensorType); // TypeProto.tensor_type
    byte[] valueInfo = concat(lengthDelimited(1, tensorName.getBytes(StandardCharsets.UTF_8)), lengthDelimited(2, type));
    byte[] graph = lengthDelimited(12, valueInfo); // GraphProto.output
    return lengthDelimited(7, graph); // ModelProto.graph
  }

  private static byte[] lengthDelimited(int field, byte[] payload) {
    return message(field(field, 2), varint(payload.length), payload);
  }

  private static byte[] field(int number, int wireType) {
    return varint((long) number << 3 | wireType);
  }

  private static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long v = value;
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] message(byte[]... parts) {
    return concat(parts);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
