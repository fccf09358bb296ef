package imgsearch.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  @TempDir Path dir;

  @Test
  void sha256MatchesTheStandardTestVector() throws IOException {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);
    assertEquals(abc, Sha256.hex(bytes));
    assertEquals(abc, Sha256.hex(TestImages.write(dir, "abc.txt", bytes)));
  }

  @Test
  void sha256OfAFileEqualsSha256OfItsBytes() throws IOException {
    byte[] png = TestImages.png(TestImages.photoLike(1, 400, 300)); // larger than one read buffer
    assertEquals(Sha256.hex(png), Sha256.hex(TestImages.write(dir, "photo.png", png)));
    assertEquals(64, Sha256.hex(png).length());
  }

  @Test
  void sha256OfAMissingFileFails() {
    assertThrows(NoSuchFileException.class, () -> Sha256.hex(dir.resolve("missing.jpg")));
  }

  @Test
  void shortHexIsThePrefixOfTheDigestOfTheUtf8Text() {
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertEquals(abc.substring(0, 8), Sha256.shortHex("abc", 4));
    assertEquals(Sha256.hex("é".getBytes(StandardCharsets.UTF_8)).substring(0, 16), Sha256.shortHex("é", 8));
  }
}
