package imgsearch.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code imgsearch} command line in a child JVM: the same java binary, JVM flags and classpath as this
 * one, so that a harness kills exactly what users run. Its stdout and stderr go to a log file.
 */
public final class ChildJvm {

  private final Process process;
  private final long startNanos;
  private final Path log;
  private final CompletableFuture<Long> firstOutputNanos = new CompletableFuture<>();
  private final Thread pump;

  private ChildJvm(Process process, long startNanos, Path log) throws IOException {
    this.process = process;
    this.startNanos = startNanos;
    this.log = log;
    OutputStream out = Files.newOutputStream(log);
    InputStream in = process.getInputStream();
    pump = new Thread(() -> copy(in, out), "imgsearch-child-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code imgsearch ARGS} with this JVM's java, flags and classpath; output goes to {@code log}. */
  public static ChildJvm start(List<String> imgsearchArgs, Path log) throws IOException {
    return start(imgsearchArgs, log, null);
  }

  /**
   * Starts {@code imgsearch ARGS} with this JVM's java and flags, and the given classpath (another build's
   * {@code imgsearch.jar}, to compare builds), or this JVM's when it is null.
   */
  public static ChildJvm start(List<String> imgsearchArgs, Path log, String classpath) throws IOException {
    return start(imgsearchArgs, log, classpath, List.of());
  }

  /** As {@link #start(List, Path, String)}, run through {@code wrapper} (e.g. GNU time's command line). */
  public static ChildJvm start(List<String> imgsearchArgs, Path log, String classpath, List<String> wrapper)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(javaCommand());
    if (classpath != null) {
      command.set(command.size() - 1, classpath);
    }
    command.add("imgsearch.cli.Main");
    command.addAll(imgsearchArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    long start = System.nanoTime();
    return new ChildJvm(pb.start(), start, log);
  }

  /**
   * {@code java FLAGS -cp CLASSPATH}: the running JVM's binary and input arguments (the launcher's
   * {@code --add-modules jdk.incubator.vector}, {@code -Xmx}, ...), without debugger or agent flags whose
   * ports or files a second JVM cannot share.
   */
  static List<String> javaCommand() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    boolean headless = false;
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-agentlib") || arg.startsWith("-javaagent") || arg.startsWith("-Xrunjdwp")
          || arg.startsWith("-Xdebug") || arg.startsWith("-XX:HeapDumpPath") || arg.startsWith("-XX:Flight")) {
        continue;
      }
      headless |= arg.startsWith("-Djava.awt.headless");
      command.add(arg);
    }
    if (!headless) {
      command.add("-Djava.awt.headless=true");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  /** Nanoseconds since the child was started. */
  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  /**
   * Waits until the child has run for {@code nanosSinceStart} or has exited, whichever comes first.
   *
   * @return true when the child is still running at that moment
   */
  public boolean runUntil(long nanosSinceStart) throws InterruptedException {
    long left = nanosSinceStart - elapsedNanos();
    return left > 0 ? !process.waitFor(left, TimeUnit.NANOSECONDS) : process.isAlive();
  }

  /** SIGKILL on Unix (no shutdown hooks, no finally blocks), then waits for the process to be gone. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    return waitFor(60);
  }

  /** Waits for the child to exit and for its output to be in the log; kills it after {@code seconds}. */
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    pump.join(10_000);
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  /** When the child printed its first line of its own, in nanoseconds since its start (empty until then). */
  public java.util.Optional<Long> firstOutputNanos() {
    return java.util.Optional.ofNullable(firstOutputNanos.getNow(null));
  }

  /** Everything the child printed so far. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private void copy(InputStream in, OutputStream out) {
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)); out) {
      String line;
      while ((line = lines.readLine()) != null) {
        // The JVM's own warnings (incubator modules, native access) come before the program has done anything.
        if (!line.startsWith("WARNING:")) {
          firstOutputNanos.complete(System.nanoTime() - startNanos);
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException ignored) {
      // the child was killed: its pipe closed
    }
  }
}
