package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageFilesTest {

  @Test
  void recognisesImageExtensionsInAnyCase() {
    for (String name : new String[] {"a.jpg", "b.JPEG", "c.Png", "d.gif", "e.BMP", "f.webp", "dir/g.JpG", "h.jpe"}) {
      assertTrue(ImageFiles.hasImageExtension(Path.of(name)), name);
    }
    for (String name : new String[] {"a.txt", "jpg", ".jpg", "b.jpg.html", "c.tiff", "d.heic", "e."}) {
      assertFalse(ImageFiles.hasImageExtension(Path.of(name)), name);
    }
    assertFalse(ImageFiles.hasImageExtension(Path.of("/")));
  }
}
