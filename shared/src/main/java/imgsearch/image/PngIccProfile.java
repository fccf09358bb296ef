package imgsearch.image;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the colour profile of a PNG (its iCCP chunk), which ImageIO's PNG reader leaves out of the
 * decoded image: without it, a Display P3 or Adobe RGB PNG would be taken as sRGB and look dull.
 */
final class PngIccProfile {

  private PngIccProfile() {}

  /** The embedded profile, or null if there is none or it is unusable (the image is then taken as sRGB). */
  static ICC_Profile read(ImageInputStream png) {
    try {
      byte[] chunk = ContainerChunks.png(png, "iCCP").orElse(null);
      if (chunk == null) {
        return null;
      }
      // Layout: profile name (1-79 bytes), NUL, compression method (0 = zlib), compressed profile.
      int nul = 0;
      while (nul < chunk.length && chunk[nul] != 0) {
        nul++;
      }
      if (nul + 2 > chunk.length || chunk[nul + 1] != 0) {
        return null;
      }
      byte[] profile = inflate(chunk, nul + 2, ContainerChunks.MAX_CHUNK_BYTES);
      return profile == null ? null : SrgbConversion.parseProfile(profile);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Inflates zlib data; null on damaged data or on output beyond the cap (a zip bomb in a profile). */
  private static byte[] inflate(byte[] data, int offset, int maxOutput) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, offset, data.length - offset);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 * 1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        out.write(buffer, 0, n);
        if (out.size() > maxOutput) {
          return null;
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }
}
