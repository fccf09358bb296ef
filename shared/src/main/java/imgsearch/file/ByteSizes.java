package imgsearch.file;

import java.util.Locale;

/** Sizes of files and limits in words, for messages and listings. */
public final class ByteSizes {

  private ByteSizes() {}

  /**
   * A size in decimal units, as download sites and file managers show it: {@code 812 bytes}, {@code 2.2 kB},
   * {@code 351.7 MB}, {@code 1.25 GB}.
   */
  public static String decimal(long bytes) {
    if (bytes < 1000) {
      return bytes + " bytes";
    }
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
    if (bytes < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }

  /**
   * A size in the binary megabytes (2^20 bytes) that limits such as {@code --max-upload-mb} are set in, so
   * that a limit reads as it was given: {@code 20 MB} for a whole number, else {@code 20.5 MB}; below 10,000
   * bytes, {@code 812 bytes}.
   */
  public static String megabytes(long bytes) {
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MB";
    }
    return bytes >= 10_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0) : bytes + " bytes";
  }
}
