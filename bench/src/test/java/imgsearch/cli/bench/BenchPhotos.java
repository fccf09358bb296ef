package imgsearch.cli.bench;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.image.ImageDecoder;
import imgsearch.index.IndexListener;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Generated photos and small indexes of them for the harness tests. */
final class BenchPhotos {

  private BenchPhotos() {}

  /** {@code count} different photo-like JPEGs of 160 x 120 in {@code dir}. */
  static Path write(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < count; i++) {
      TestImages.write(dir, String.format("photo-%03d.jpg", i), TestImages.jpeg(TestImages.photoLike(1000 + i, 160, 120), 0.9f));
    }
    return dir;
  }

  /** The classic descriptors with 16 x 16 pixels, so that indexes stay small. */
  static List<Descriptor> descriptors() {
    DescriptorRegistry r = ClassicDescriptors.registry();
    return List.of(r.create("pixels", "size=16"), r.create("hsv-hist"), r.create("edge-colour"));
  }

  /** Indexes {@code photos} into {@code indexDir} in this JVM. */
  static void index(Path photos, Path indexDir) throws IOException {
    try (LuceneImageIndex index = LuceneImageIndex.open(indexDir)) {
      new Indexer(index, new ImageDecoder(), descriptors(), 2).index(photos, IndexListener.NONE);
    }
  }
}
