package imgsearch.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill harness itself, small: real child JVMs running {@code imgsearch index}, SIGKILLed at seeded
 * random moments. Whatever the moments turn out to be on this machine, every check must hold.
 */
class KillIndexHarnessTest {

  @TempDir Path tmp;

  @Test
  void threeKillsLeaveASoundIndexAndTheLastRunIndexesEveryPhotoOnce() throws Exception {
    Path photos = BenchPhotos.write(tmp.resolve("photos"), 40);
    StringWriter log = new StringWriter();
    KillIndexHarness.Report report = KillIndexHarness.run(new KillIndexHarness.Settings(photos, 3, 7,
        List.of("--pixel-size", "16"), tmp.resolve("work"), Duration.ofMinutes(5)), new PrintWriter(log, true));

    System.out.print(log); // the kill lines, for the build log
    assertTrue(report.passed(), log.toString());
    assertEquals(3, report.rounds().size(), log.toString());
    for (KillIndexHarness.Round r : report.rounds()) {
      assertTrue(r.killed() || r.exitCode() == 0, log.toString());
    }
    assertEquals(40, report.finalRun().images(), log.toString());
    assertTrue(report.finalRun().checks().stream().anyMatch(c -> c.name().equals("complete") && c.passed()), log.toString());
    String last = log.toString().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("kill-index PASS: 40 photos"), last);
  }
}
