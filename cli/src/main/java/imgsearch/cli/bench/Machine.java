package imgsearch.cli.bench;

import java.util.Locale;

/** The line every benchmark prints first: what it ran on. */
public final class Machine {

  private Machine() {}

  public static String describe() {
    return String.format(Locale.ROOT, "%d cores, Java %s (%s), max heap %d MB", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20);
  }
}
