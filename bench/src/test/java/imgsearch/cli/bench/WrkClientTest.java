package imgsearch.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading wrk's --latency report (wrk 4.1, as Debian ships it). */
class WrkClientTest {

  private static final String REPORT = """
      Running 10s test @ http://127.0.0.1:40521
        1 threads and 1 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     2.42ms    0.91ms  15.40ms   75.84%
          Req/Sec   389.88     45.09   500.00     74.50%
        Latency Distribution
           50%  850.00us
           75%    2.84ms
           90%    3.50ms
           99%    1.46s
        3881 requests in 10.00s, 2.51MB read
      Requests/sec:    388.05
      Transfer/sec:    256.79KB
      """;

  @Test
  void readsPercentilesInTheirUnitsAndTheRequestCount() throws IOException {
    WrkClient.Result r = WrkClient.parse(REPORT);
    assertEquals(0.85, r.p50Ms(), 1e-9);
    assertEquals(3.5, r.p90Ms(), 1e-9);
    assertEquals(1460, r.p99Ms(), 1e-9);
    assertEquals(3881, r.requests());
  }

  @Test
  void aReportWithoutLatenciesIsAnError() {
    assertThrows(IOException.class, () -> WrkClient.parse("unable to connect to 127.0.0.1:1 Connection refused"));
  }
}
