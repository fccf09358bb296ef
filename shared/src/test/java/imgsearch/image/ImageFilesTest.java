package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

  @TempDir Path dir;

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

  @Test
  void sha256MatchesTheStandardTestVector() throws IOException {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);
    assertEquals(abc, ImageFiles.sha256(bytes));
    assertEquals(abc, ImageFiles.sha256(TestImages.write(dir, "abc.txt", bytes)));
  }

  @Test
  void sha256OfAFileEqualsSha256OfItsBytes() throws IOException {
    byte[] png = TestImages.png(TestImages.photoLike(1, 400, 300)); // larger than one read buffer
    assertEquals(ImageFiles.sha256(png), ImageFiles.sha256(TestImages.write(dir, "photo.png", png)));
    assertEquals(64, ImageFiles.sha256(png).length());
  }

  @Test
  void sha256OfAMissingFileFails() {
    assertThrows(NoSuchFileException.class, () -> ImageFiles.sha256(dir.resolve("missing.jpg")));
  }
}
