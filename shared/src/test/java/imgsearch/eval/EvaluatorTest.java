package imgsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.descriptor.Metric;
import imgsearch.eval.EvalReport.MethodResult;
import imgsearch.eval.EvalReport.Scores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final double EPS = 1e-9;

  @Test
  void handRankedExample() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.line(), 2).evaluate();

    assertEquals(2, report.queries());
    assertEquals(5, report.databaseImages());
    assertEquals(List.of("cat", "dog"), report.classes());
    MethodResult line = only(report);
    // cat query at 1.6 ranks dog2 (0.4), cat1 (0.6), dog3 (1.4), cat0 (1.6); three cats exist, one unretrievable:
    // AP = (1/2 + 2/4) / 3. Dog query at 2.6 ranks dog3, dog2, cat1, cat0: AP = 1.
    Scores cat = line.perClass().get("cat");
    Scores dog = line.perClass().get("dog");
    assertEquals(1.0 / 3, cat.meanAveragePrecision(), EPS);
    assertEquals(1.0, dog.meanAveragePrecision(), EPS);
    assertEquals(0.0, cat.precisionAt1(), EPS);
    assertEquals(2.0 / 5, cat.precisionAt5(), EPS);
    assertEquals(2.0 / 3, cat.recallAt10(), EPS);
    assertEquals(1.0, dog.recallAt10(), EPS);

    Scores all = line.overall();
    assertEquals(2, all.queries());
    assertEquals((1.0 / 3 + 1.0) / 2, all.meanAveragePrecision(), EPS);
    assertEquals(0.5, all.precisionAt1(), EPS);
    assertEquals(0.4, all.precisionAt5(), EPS);
    assertEquals(0.2, all.precisionAt10(), EPS);
    assertEquals((2.0 / 3 + 1.0) / 2, all.recallAt10(), EPS);

    List<Double> curve = line.precisionAtK();
    assertEquals(Evaluator.CURVE_DEPTH, curve.size());
    assertEquals(0.5, curve.get(0), EPS);
    assertEquals((0.5 + 1.0) / 2, curve.get(1), EPS);
    assertEquals((1.0 / 3 + 2.0 / 3) / 2, curve.get(2), EPS);
    assertEquals(2.0 / 20, curve.get(19), EPS);
  }

  @Test
  void perfectDescriptorScoresOneAndNoiseDoesNot() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.separable(), 2).evaluate();

    int train = TestIndexes.TRAIN_PER_CLASS;
    assertEquals(2 * TestIndexes.TEST_PER_CLASS, report.queries());
    assertEquals(2 * train, report.databaseImages());
    assertEquals(0, report.skippedQueries());
    assertEquals(List.of("good / l2", "good / cosine", "random / l1"),
        report.methods().stream().map(MethodResult::name).toList());
    for (MethodResult good : report.methods().subList(0, 2)) {
      Scores perfect = new Scores(3, 1.0, 1.0, 1.0, (double) train / 10, 1.0);
      assertScores(new Scores(6, 1.0, 1.0, 1.0, (double) train / 10, 1.0), good.overall());
      assertEquals(List.of("cat", "dog"), List.copyOf(good.perClass().keySet()));
      assertScores(perfect, good.perClass().get("cat"));
      assertScores(perfect, good.perClass().get("dog"));
      assertEquals(1.0, good.precisionAtK().get(train - 1), EPS);
      assertEquals((double) train / 20, good.precisionAtK().get(19), EPS);
    }

    MethodResult random = report.methods().get(2);
    double map = random.overall().meanAveragePrecision();
    assertTrue(map < 0.9, "noise should not separate the classes, mAP was " + map);
    double classMean = (random.perClass().get("cat").meanAveragePrecision()
        + random.perClass().get("dog").meanAveragePrecision()) / 2;
    assertEquals(classMean, map, EPS, "equal-sized classes: overall mAP is the mean of the class mAPs");
    assertEquals("random / l1", report.methodsByMap().get(2).name());
  }

  @Test
  void resultsDoNotDependOnTheNumberOfThreads() throws IOException {
    InMemoryImageIndex index = TestIndexes.separable();
    assertEquals(new Evaluator(index, 1).evaluate().methods(), new Evaluator(index, 3).evaluate().methods());
  }

  @Test
  void evaluatesAChosenSubset() throws IOException {
    EvalReport report = new Evaluator(TestIndexes.separable(), 1)
        .evaluate(List.of("good"), List.of(Metric.COSINE, Metric.L1), Evaluator.Progress.NONE);
    assertEquals(List.of("good / cosine"), report.methods().stream().map(MethodResult::name).toList());
    assertEquals(List.of("good"), report.parameters().descriptors());
    assertEquals(List.of("cosine"), report.parameters().metrics());
  }

  @Test
  void reportsProgressUpToTheTotal() throws IOException {
    List<int[]> updates = new ArrayList<>();
    new Evaluator(TestIndexes.separable(), 2)
        .evaluate(List.of(), List.of(), (done, total) -> updates.add(new int[] {done, total}));
    int total = 2 * TestIndexes.TEST_PER_CLASS * 3;
    assertEquals(0, updates.get(0)[0]);
    assertEquals(total, updates.get(updates.size() - 1)[0]);
    for (int i = 1; i < updates.size(); i++) {
      assertEquals(total, updates.get(i)[1]);
      assertTrue(updates.get(i)[0] > updates.get(i - 1)[0]);
    }
  }

  @Test
  void skipsTestImagesWhoseClassHasNoTrainImages() throws IOException {
    InMemoryImageIndex index = TestIndexes.line()
        .image("bird-query", "test", "bird", Map.of("line", new float[] {5}));
    EvalReport report = new Evaluator(index, 1).evaluate();
    assertEquals(2, report.queries());
    assertEquals(1, report.skippedQueries());
    assertEquals(List.of("cat", "dog"), report.classes());
  }

  @Test
  void refusesAnIndexWithoutTrainTestSplit() throws IOException {
    InMemoryImageIndex trainOnly = new InMemoryImageIndex().descriptor("line", 1, Metric.L1)
        .image("a", "train", "cat", Map.of("line", new float[] {0}));
    assertEquals(false, Evaluator.hasTrainTestSplit(trainOnly));
    var e = assertThrows(IllegalStateException.class, () -> new Evaluator(trainOnly).evaluate());
    assertEquals(Evaluator.NO_SPLIT_MESSAGE, e.getMessage());
    assertTrue(Evaluator.hasTrainTestSplit(TestIndexes.line()));
  }

  @Test
  void rejectsUnknownDescriptorsAndUnsupportedMetrics() {
    Evaluator evaluator = new Evaluator(TestIndexes.separable(), 1);
    var unknown = assertThrows(IllegalArgumentException.class,
        () -> evaluator.evaluate(List.of("clip"), List.of(), Evaluator.Progress.NONE));
    assertTrue(unknown.getMessage().contains("'clip' is not in this index"), unknown.getMessage());
    var metric = assertThrows(IllegalArgumentException.class,
        () -> evaluator.evaluate(List.of("random"), List.of(Metric.DOT), Evaluator.Progress.NONE));
    assertTrue(metric.getMessage().contains("dot"), metric.getMessage());
  }

  private static void assertScores(Scores expected, Scores actual) {
    assertEquals(expected.queries(), actual.queries());
    assertEquals(expected.meanAveragePrecision(), actual.meanAveragePrecision(), EPS, "mAP");
    assertEquals(expected.precisionAt1(), actual.precisionAt1(), EPS, "P@1");
    assertEquals(expected.precisionAt5(), actual.precisionAt5(), EPS, "P@5");
    assertEquals(expected.precisionAt10(), actual.precisionAt10(), EPS, "P@10");
    assertEquals(expected.recallAt10(), actual.recallAt10(), EPS, "R@10");
  }

  private static MethodResult only(EvalReport report) {
    assertEquals(1, report.methods().size());
    return report.methods().get(0);
  }
}
