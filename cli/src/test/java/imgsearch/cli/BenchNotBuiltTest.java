package imgsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shipped jar has no benchmarks: --help still lists bench, and bench says how to run them. */
class BenchNotBuiltTest {

  @Test
  void helpListsBenchAndBenchSaysWhereTheBenchmarksAre() {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.exit(), help.all());
    assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith("bench ")), help.out());

    CliRun bench = CliRun.of("bench", "index", "/photos", "--rounds", "1");
    assertEquals(1, bench.exit(), bench.all());
    assertTrue(bench.err().contains("./imgsearch bench ... builds and runs them"), bench.err());
  }
}
