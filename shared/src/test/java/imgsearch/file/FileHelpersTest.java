package imgsearch.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHelpersTest {

  @TempDir Path dir;

  record Item(String id, int n) {}

  @Test
  void jsonLinesSkipsBlankAndHalfWrittenLines() throws IOException {
    Path file = Files.writeString(dir.resolve("items.jsonl"),
        "{\"id\":\"a\",\"n\":1}\n\n{\"id\":\"b\",\"n\":2}\n{\"id\":\"c\",\"n", StandardCharsets.UTF_8);
    assertEquals(List.of(new Item("a", 1), new Item("b", 2)), JsonLines.read(file, Item.class));
    assertEquals(List.of(), JsonLines.read(dir.resolve("missing.jsonl"), Map.class));
  }

  @Test
  void deletingATreeRemovesEverythingUnderItAndNothingBeside() throws IOException {
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("deep.txt"), "x");
    Files.writeString(dir.resolve("tree/top.txt"), "y");
    Path beside = Files.writeString(dir.resolve("beside.txt"), "z");
    FileTrees.delete(dir.resolve("tree"));
    assertFalse(Files.exists(dir.resolve("tree")));
    assertEquals("z", Files.readString(beside));
    FileTrees.delete(dir.resolve("tree")); // gone already: nothing to do
  }

  @Test
  void replaceWritesThroughTheFixedSiblingAndLeavesNoTemporaryFile() throws IOException {
    Path file = Files.writeString(dir.resolve("report.json"), "old");
    Files.writeString(dir.resolve("report.json.tmp"), "left by a killed run");
    AtomicFiles.replace(file, tmp -> Files.writeString(tmp, "new"));
    assertEquals("new", Files.readString(file));
    assertFalse(Files.exists(dir.resolve("report.json.tmp")));
  }

  @Test
  void aFailedWriteKeepsTheOldContent() throws IOException {
    Path file = Files.writeString(dir.resolve("thumb.jpg"), "old");
    assertThrows(IOException.class, () -> AtomicFiles.replaceConcurrently(file, tmp -> {
      Files.writeString(tmp, "half");
      throw new IOException("disk full");
    }));
    assertEquals("old", Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left");
    }
    AtomicFiles.write(file, new byte[] {1, 2});
    assertEquals(2, Files.size(file));
  }

  @Test
  void sizesInWords() {
    assertEquals("812 bytes", ByteSizes.decimal(812));
    assertEquals("2.2 kB", ByteSizes.decimal(2_200));
    assertEquals("351.7 MB", ByteSizes.decimal(351_700_000));
    assertEquals("1.25 GB", ByteSizes.decimal(1_250_000_000));
    assertEquals("20 MB", ByteSizes.megabytes(20L << 20));
    assertEquals("20.5 MB", ByteSizes.megabytes((20L << 20) + (1 << 19)));
    assertEquals("812 bytes", ByteSizes.megabytes(812));
  }
}
