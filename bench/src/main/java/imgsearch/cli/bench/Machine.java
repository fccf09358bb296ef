package imgsearch.cli.bench;

import java.util.Locale;

/** The line every benchmark prints first: what it ran on. */
public final class Machine {

  private Machine() {}

  public static String describe() {
    return String.format(Locale.ROOT, "%d cores, Java %s (%s), max heap %d MB, JPEG decoder %s, load average %.1f",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20,
        new imgsearch.image.ImageDecoder().jpegDecoder(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** The system load average over the last minute (other work sharing the cores), or -1. */
  public static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
