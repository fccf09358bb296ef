package imgsearch.file;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replacing a file in one step: the new content is written to a temporary sibling, then renamed over the
 * file, so that readers (and a run killed half-way) see the old content or the new one, never a part.
 */
public final class AtomicFiles {

  /** Writes the new content into the temporary file it is given. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(Path tmp) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Moves {@code from} onto {@code to}, replacing it: an atomic rename where the file system can do one,
   * else a plain replacing move.
   */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Replaces {@code file} with what {@code writer} writes, through the sibling {@code FILE.tmp}: for files
   * with one writer at a time. A {@code FILE.tmp} left by an interrupted run is overwritten.
   */
  public static void replace(Path file, ContentWriter writer) throws IOException {
    replaceThrough(file.resolveSibling(file.getFileName() + ".tmp"), file, writer);
  }

  /**
   * Replaces {@code file} with what {@code writer} writes, through a uniquely named temporary sibling: for
   * files that several threads or processes may write at once. The parent folder must exist.
   */
  public static void replaceConcurrently(Path file, ContentWriter writer) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    replaceThrough(Files.createTempFile(parent, file.getFileName().toString(), ".tmp"), file, writer);
  }

  /** {@link #replaceConcurrently} with these bytes. */
  public static void write(Path file, byte[] bytes) throws IOException {
    replaceConcurrently(file, tmp -> Files.write(tmp, bytes));
  }

  private static void replaceThrough(Path tmp, Path file, ContentWriter writer) throws IOException {
    try {
      writer.writeTo(tmp);
      move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
