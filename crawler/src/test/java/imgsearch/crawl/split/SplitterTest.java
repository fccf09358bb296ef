package imgsearch.crawl.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SplitterTest {

  @Test
  void theSplitDependsOnlyOnSeedClassAndId() {
    Splitter a = new Splitter(42, 0.2);
    Splitter b = new Splitter(42, 0.2);
    int tests = 0;
    for (int i = 0; i < 2000; i++) {
      String id = "photo" + i;
      assertEquals(a.splitFor("fox", id, Optional.empty()), b.splitFor("fox", id, Optional.empty()));
      tests += a.splitFor("fox", id, Optional.empty()).equals(Splitter.TEST) ? 1 : 0;
    }
    assertTrue(tests > 330 && tests < 470, "about a fifth in test: " + tests);
    List<String> seed42 = new ArrayList<>();
    List<String> seed7 = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      seed42.add(a.splitFor("fox", "p" + i, Optional.empty()));
      seed7.add(new Splitter(7, 0.2).splitFor("fox", "p" + i, Optional.empty()));
    }
    assertNotEquals(seed42, seed7, "another seed, another split");
  }

  @Test
  void aLookAlikeJoinsItsOriginalsSplit() {
    Splitter s = new Splitter(42, 0.5);
    assertEquals(Splitter.TEST, s.splitFor("fox", "anything", Optional.of(Splitter.TEST)));
    assertEquals(Splitter.TRAIN, s.splitFor("fox", "anything", Optional.of(Splitter.TRAIN)));
  }

  @Test
  void aClassOfTwoOrMoreGetsATestImageMovingTheNewestGroup() {
    Splitter s = new Splitter(42, 0.2);
    List<Splitter.Member> members = List.of(
        new Splitter.Member("old", Splitter.TRAIN, 0x0000_0000_0000_0000L, false),
        new Splitter.Member("new1", Splitter.TRAIN, 0xFFFF_FFFF_0000_0000L, true),
        new Splitter.Member("new1-copy", Splitter.TRAIN, 0xFFFF_FFFF_0000_0001L, true));
    List<Splitter.Move> moves = s.balance("fox", members, 10);
    assertEquals(List.of(new Splitter.Move("new1", Splitter.TRAIN, Splitter.TEST),
        new Splitter.Move("new1-copy", Splitter.TRAIN, Splitter.TEST)), moves,
        "the look-alike pair moves together; the image kept earlier stays");
  }

  @Test
  void balancingLeavesWellSplitClassesAndSingletonsAlone() {
    Splitter s = new Splitter(42, 0.2);
    assertEquals(List.of(), s.balance("fox", List.of(new Splitter.Member("a", Splitter.TRAIN, 0, true)), 10));
    assertEquals(List.of(), s.balance("fox", List.of(
        new Splitter.Member("a", Splitter.TRAIN, 0, true),
        new Splitter.Member("b", Splitter.TEST, -1L, true)), 10));
    assertEquals(List.of(), s.balance("fox", List.of(
        new Splitter.Member("a", Splitter.TRAIN, 0, true),
        new Splitter.Member("b", Splitter.TRAIN, 1, true)), 10), "one look-alike group cannot be split");
    assertEquals(List.of(), new Splitter(42, 0).balance("fox", List.of(
        new Splitter.Member("a", Splitter.TRAIN, 0, true),
        new Splitter.Member("b", Splitter.TRAIN, -1L, true)), 10), "a test ratio of 0 asks for no test images");
  }

  @Test
  void anAllTestClassGetsATrainImage() {
    Splitter s = new Splitter(42, 0.9);
    List<Splitter.Move> moves = s.balance("fox", List.of(
        new Splitter.Member("a", Splitter.TEST, 0, true),
        new Splitter.Member("b", Splitter.TEST, -1L, true)), 10);
    assertEquals(1, moves.size());
    assertEquals(Splitter.TRAIN, moves.get(0).to());
  }
}
