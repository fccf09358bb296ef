package imgsearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imgsearch.descriptor.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

  private record Hit(String id, double score) {}

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  @Test
  void keepsTheBestByTheMetricsDirection() {
    List<Hit> hits = List.of(new Hit("a", 0.5), new Hit("b", 0.1), new Hit("c", 0.9), new Hit("d", 0.3));
    TopK<Hit> distances = new TopK<>(2, Metric.L2, Hit::score, Hit::id);
    TopK<Hit> similarities = new TopK<>(2, Metric.COSINE, Hit::score, Hit::id);
    hits.forEach(distances::offer);
    hits.forEach(similarities::offer);
    assertEquals(List.of("b", "d"), ids(distances.best()));
    assertEquals(List.of("c", "a"), ids(similarities.best()));
  }

  @Test
  void equalScoresRankByIdWhateverTheOrderAndTheSplitIntoParts() {
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      hits.add(new Hit(String.format("id%02d", i), i % 5));
    }
    List<String> expected = List.of("id00", "id05", "id10", "id15", "id20", "id25", "id30");
    Random rnd = new Random(7);
    for (int round = 0; round < 10; round++) {
      Collections.shuffle(hits, rnd);
      TopK<Hit> whole = new TopK<>(7, Metric.L1, Hit::score, Hit::id);
      hits.forEach(whole::offer);
      assertEquals(expected, ids(whole.best()));

      TopK<Hit> merged = new TopK<>(7, Metric.L1, Hit::score, Hit::id);
      for (int from = 0; from < hits.size(); from += 13) {
        TopK<Hit> part = new TopK<>(7, Metric.L1, Hit::score, Hit::id);
        hits.subList(from, Math.min(hits.size(), from + 13)).forEach(part::offer);
        merged.addAll(part);
      }
      assertEquals(expected, ids(merged.best()));
    }
  }

  @Test
  void fewerCandidatesThanKAreAllKept() {
    TopK<Hit> top = new TopK<>(10, Metric.DOT, Hit::score, Hit::id);
    top.offer(new Hit("x", 1));
    top.offer(new Hit("y", 2));
    assertEquals(List.of("y", "x"), ids(top.best()));
  }
}
