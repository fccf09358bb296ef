package imgsearch.eval;

import static imgsearch.eval.RankingMetrics.averagePrecision;
import static imgsearch.eval.RankingMetrics.precisionAt;
import static imgsearch.eval.RankingMetrics.recallAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  private static final double EPS = 1e-12;
  /** Relevant at ranks 1 and 3 out of 5 retrieved. */
  private static final boolean[] RANKING = {true, false, true, false, false};

  @Test
  void averagePrecisionDividesByAllRelevantItemsInTheDatabase() {
    // precision at the two hits is 1/1 and 2/3; the third relevant item was never retrieved and counts 0
    assertEquals((1.0 / 1 + 2.0 / 3) / 3, averagePrecision(RANKING, 3), EPS);
    assertEquals((1.0 / 1 + 2.0 / 3) / 2, averagePrecision(RANKING, 2), EPS);
  }

  @Test
  void averagePrecisionOfPerfectAndHopelessRankings() {
    assertEquals(1.0, averagePrecision(new boolean[] {true, true, false, false}, 2), EPS);
    assertEquals(0.0, averagePrecision(new boolean[] {false, false, false}, 4), EPS);
    assertEquals(0.0, averagePrecision(new boolean[0], 1), EPS);
    // relevant items last: 1/3 and 2/4
    assertEquals((1.0 / 3 + 2.0 / 4) / 2, averagePrecision(new boolean[] {false, false, true, true}, 2), EPS);
  }

  @Test
  void precisionAtK() {
    assertEquals(1.0, precisionAt(RANKING, 1), EPS);
    assertEquals(0.5, precisionAt(RANKING, 2), EPS);
    assertEquals(2.0 / 3, precisionAt(RANKING, 3), EPS);
    assertEquals(2.0 / 5, precisionAt(RANKING, 5), EPS);
  }

  @Test
  void positionsPastTheEndOfAShortListAreMisses() {
    assertEquals(2.0 / 10, precisionAt(RANKING, 10), EPS);
    assertEquals(2.0 / 3, recallAt(RANKING, 10, 3), EPS);
    assertEquals(1.0, recallAt(RANKING, 10, 2), EPS);
  }

  @Test
  void recallAtK() {
    assertEquals(1.0 / 3, recallAt(RANKING, 1, 3), EPS);
    assertEquals(1.0 / 3, recallAt(RANKING, 2, 3), EPS);
    assertEquals(2.0 / 3, recallAt(RANKING, 3, 3), EPS);
  }

  @Test
  void rejectsInconsistentArguments() {
    assertThrows(IllegalArgumentException.class, () -> averagePrecision(RANKING, 0));
    assertThrows(IllegalArgumentException.class, () -> averagePrecision(RANKING, 1));
    assertThrows(IllegalArgumentException.class, () -> precisionAt(RANKING, 0));
    assertThrows(IllegalArgumentException.class, () -> recallAt(RANKING, 10, 0));
  }
}
