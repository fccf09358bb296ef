package imgsearch.cli.bench;

import imgsearch.cli.UserError;
import imgsearch.image.ImageFiles;
import imgsearch.index.Indexer;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The image files {@code imgsearch index DIR} is expected to index, found by the same rules as the
 * {@link Indexer}: image extensions, hidden files and folders and index folders skipped, only
 * {@code train/} and {@code test/} when the folder has that layout. A harness compares the index with this
 * list, so it must not ask the indexer which files it saw.
 *
 * @param dir the folder, absolute and normalised
 * @param files every image file under it, absolute and normalised, sorted
 */
public record PhotoFolder(Path dir, List<Path> files) {

  public PhotoFolder {
    files = List.copyOf(files);
  }

  public static PhotoFolder of(Path folder) throws IOException {
    Path dir = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw UserError.failure(folder + " is not a folder");
    }
    boolean split = Files.isDirectory(dir.resolve("train")) || Files.isDirectory(dir.resolve("test"));
    List<Path> roots = split
        ? List.of(dir.resolve("train"), dir.resolve("test")).stream().filter(Files::isDirectory).toList()
        : List.of(dir);
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      Files.walkFileTree(root, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          boolean hidden = !d.equals(root) && d.getFileName().toString().startsWith(".");
          return hidden || Files.exists(d.resolve(Indexer.INDEX_MARKER)) ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && ImageFiles.hasImageExtension(f) && !f.getFileName().toString().startsWith(".")) {
            out.add(f.toAbsolutePath().normalize());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    }
    Collections.sort(out);
    return new PhotoFolder(dir, out);
  }

  public int size() {
    return files.size();
  }
}
