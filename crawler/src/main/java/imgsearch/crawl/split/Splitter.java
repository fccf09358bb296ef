package imgsearch.crawl.split;

import imgsearch.descriptor.PerceptualHash;
import imgsearch.file.Sha256;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns each kept image of a class to train or test, deterministically and stably:
 * <ul>
 *   <li>an image's split depends only on the seed, its class and its id (a hash compared with the test
 *       ratio), so re-running with more images leaves every earlier assignment as it was;</li>
 *   <li>an image that looks like one already kept in its class (perceptual hashes close) joins that image's
 *       split, so look-alikes never straddle train and test;</li>
 *   <li>{@link #balance} makes sure a class with two or more images has at least one test image (and one
 *       train image), moving the fewest, newest images it can.</li>
 * </ul>
 */
public final class Splitter {

  public static final String TRAIN = "train";
  public static final String TEST = "test";

  /** A kept image of one class, as the balancing step sees it. */
  public record Member(String id, String split, long phash, boolean fresh) {}

  /** An image to move from one split to the other. */
  public record Move(String id, String from, String to) {}

  private final long seed;
  private final double testRatio;

  public Splitter(long seed, double testRatio) {
    this.seed = seed;
    this.testRatio = testRatio;
  }

  /** A number in [0, 1) fixed by the seed, the class and the id. */
  public double score(String label, String id) {
    byte[] d = Sha256.digest(seed + "\n" + label + "\n" + id);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (d[i] & 0xff);
    }
    return (bits >>> 11) * 0x1.0p-53;
  }

  /**
   * The split of a new image: that of the nearest look-alike already kept in its class when there is one,
   * else test when its score is below the test ratio.
   */
  public String splitFor(String label, String id, Optional<String> lookAlikeSplit) {
    return lookAlikeSplit.orElseGet(() -> score(label, id) < testRatio ? TEST : TRAIN);
  }

  /**
   * Moves that give a class of two or more images at least one test image (when the ratio is above zero) and
   * at least one train image. Whole look-alike groups move together; groups made only of images kept in this
   * run are moved first, so earlier assignments stay put whenever possible.
   */
  public List<Move> balance(String label, List<Member> members, int groupDistance) {
    if (members.size() < 2) {
      return List.of();
    }
    List<List<Member>> groups = groups(members, groupDistance);
    if (groups.size() < 2) {
      return List.of(); // every image looks like every other: splitting them would leak
    }
    long tests = members.stream().filter(m -> m.split().equals(TEST)).count();
    if (testRatio > 0 && tests == 0) {
      return move(label, groups, TRAIN, TEST, Comparator.comparingDouble(g -> minScore(label, g)));
    }
    if (tests == members.size()) {
      return move(label, groups, TEST, TRAIN, Comparator.comparingDouble((List<Member> g) -> minScore(label, g)).reversed());
    }
    return List.of();
  }

  private List<Move> move(String label, List<List<Member>> groups, String from, String to,
      Comparator<List<Member>> order) {
    Comparator<List<Member>> freshFirst = Comparator.comparing((List<Member> g) -> !g.stream().allMatch(Member::fresh));
    List<List<Member>> sorted = new ArrayList<>(groups);
    sorted.sort(freshFirst.thenComparing(order));
    List<Move> moves = new ArrayList<>();
    for (Member m : sorted.get(0)) {
      if (m.split().equals(from)) {
        moves.add(new Move(m.id(), from, to));
      }
    }
    return moves;
  }

  private double minScore(String label, List<Member> group) {
    return group.stream().mapToDouble(m -> score(label, m.id())).min().orElse(1);
  }

  /** Connected groups of members whose hashes are within {@code distance} of each other, in member order. */
  static List<List<Member>> groups(List<Member> members, int distance) {
    int n = members.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (PerceptualHash.distance(members.get(i).phash(), members.get(j).phash()) <= distance) {
          parent[find(parent, j)] = find(parent, i);
        }
      }
    }
    Map<Integer, List<Member>> byRoot = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byRoot.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(members.get(i));
    }
    return new ArrayList<>(byRoot.values());
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
