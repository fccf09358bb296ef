package imgsearch.duplicates;

import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups the images of an index into near-duplicates.
 *
 * <pre>{@code
 * DuplicateReport r = DuplicateFinder.find(index, DuplicateMeasure.EDGE_COLOUR, 0.95, 2, Progress.NONE);
 * }</pre>
 *
 * <p><b>How groups are formed.</b> Two images are near when their score is within the threshold. Plain
 * transitive joining (single link) would chain a burst of shots, each a little different from the previous,
 * into one group whose ends have nothing in common. So groups are stars: the image with the most near
 * neighbours (ties: the closer ones on average, then the smaller id) becomes a centre and takes every near
 * image not yet in a group; then the next such image among the rest, and so on. Every member is thus within
 * the threshold of its group's centre, and any two members are at most two steps apart.
 *
 * <p>Each group's keeper follows {@link KeeperRule}; its members' scores are to the keeper.
 */
public final class DuplicateFinder {
  private DuplicateFinder() {}

  /** Searches the neighbours of every image (see {@link NeighbourGraph}) and groups them at {@code threshold}. */
  public static DuplicateReport find(ImageIndex index, DuplicateMeasure measure, double threshold, int threads,
      NeighbourGraph.Progress progress) throws IOException {
    measure.checkThreshold(threshold);
    return group(NeighbourGraph.build(index, measure, threshold, threads, progress), threshold);
  }

  /**
   * The groups at {@code threshold}, which must be at least as strict as the graph's floor. Fast: no search,
   * only the graph's edges; the files' modification times are read for the grouped images.
   */
  public static DuplicateReport group(NeighbourGraph graph, double threshold) {
    DuplicateMeasure m = graph.measure();
    m.checkThreshold(threshold);
    if (!m.within(threshold, graph.floor())) {
      throw new IllegalArgumentException("threshold " + m.format(threshold) + " is looser than the "
          + m.format(graph.floor()) + " the neighbours were searched down to");
    }
    long start = System.nanoTime();
    List<DuplicateGroup> groups = new ArrayList<>();
    for (int[] star : stars(graph, threshold)) {
      groups.add(group(graph, star));
    }
    groups.sort(Comparator.comparing(DuplicateGroup::weakest, m::compareCloseness)
        .thenComparing(g -> -g.images().size())
        .thenComparing(g -> g.keeper().image().path()));
    return new DuplicateReport(m, graph.spec(), threshold, graph.indexed(), graph.compared(), groups,
        graph.millis() + (System.nanoTime() - start) / 1_000_000);
  }

  /** The groups as positions in the graph, centre first. */
  static List<int[]> stars(NeighbourGraph graph, double threshold) {
    DuplicateMeasure m = graph.measure();
    int n = graph.compared();
    // Near pairs at this threshold, both ways, scored from the stored vectors in one fixed argument order so
    // that the same pair always gets the same score.
    List<List<Integer>> near = new ArrayList<>(n);
    double[] closenessSum = new double[n];
    for (int i = 0; i < n; i++) {
      near.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j : graph.neighbours(i)) {
        int a = Math.min(i, j);
        int b = Math.max(i, j);
        if (near.get(a).contains(b)) {
          continue;
        }
        double s = m.score(graph.vector(a), graph.vector(b));
        if (m.within(s, threshold)) {
          near.get(a).add(b);
          near.get(b).add(a);
          double closeness = m.higherIsCloser() ? s : -s;
          closenessSum[a] += closeness;
          closenessSum[b] += closeness;
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -near.get(i).size())
        .thenComparingDouble(i -> near.get(i).isEmpty() ? 0 : -closenessSum[i] / near.get(i).size())
        .thenComparing(i -> graph.image(i).id()));
    boolean[] taken = new boolean[n];
    List<int[]> stars = new ArrayList<>();
    for (int centre : order) {
      if (taken[centre] || near.get(centre).isEmpty()) {
        continue;
      }
      List<Integer> members = new ArrayList<>();
      members.add(centre);
      for (int j : near.get(centre)) {
        if (!taken[j]) {
          members.add(j);
        }
      }
      if (members.size() < 2) {
        continue;
      }
      for (int j : members) {
        taken[j] = true;
      }
      stars.add(members.stream().mapToInt(Integer::intValue).toArray());
    }
    return stars;
  }

  private static DuplicateGroup group(NeighbourGraph graph, int[] star) {
    DuplicateMeasure m = graph.measure();
    List<DuplicateImage> candidates = new ArrayList<>();
    for (int i : star) {
      ImageRecord r = graph.image(i);
      candidates.add(new DuplicateImage(r, modified(r.path()), false, null));
    }
    KeeperRule.Choice choice = KeeperRule.choose(candidates);
    float[] keeperVector = graph.vector(star[choice.index()]);
    List<DuplicateImage> others = new ArrayList<>();
    for (int k = 0; k < star.length; k++) {
      if (k != choice.index()) {
        DuplicateImage d = candidates.get(k);
        others.add(new DuplicateImage(d.image(), d.modified(), false, m.score(keeperVector, graph.vector(star[k]))));
      }
    }
    others.sort(Comparator.comparing(DuplicateImage::score, m::compareCloseness).thenComparing(KeeperRule.ORDER));
    DuplicateImage keeper = candidates.get(choice.index());
    List<DuplicateImage> images = new ArrayList<>();
    images.add(new DuplicateImage(keeper.image(), keeper.modified(), true, null));
    images.addAll(others);
    return new DuplicateGroup(images, choice.reason(), others.get(others.size() - 1).score());
  }

  private static Instant modified(String path) {
    try {
      return Files.getLastModifiedTime(Path.of(path)).toInstant();
    } catch (IOException | InvalidPathException e) {
      return null;
    }
  }
}
