package imgsearch.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images of one split, counted by class, for the browse page.
 *
 * @param split split name, or null for images outside any split
 * @param total images in the split
 * @param classes counts per class, in name order
 */
public record BrowseGroup(String split, int total, List<ClassCount> classes) {

  /**
   * One class of a split.
   *
   * @param label class name, or null for images without a class
   * @param count images
   */
  public record ClassCount(String label, int count) {}

  /** From {@link imgsearch.index.ImageIndex#counts()}, where the empty string stands for "none". */
  static List<BrowseGroup> of(Map<String, Map<String, Integer>> counts) {
    List<BrowseGroup> groups = new ArrayList<>();
    counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(split -> {
      List<ClassCount> classes = split.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(c -> new ClassCount(emptyToNull(c.getKey()), c.getValue())).toList();
      int total = classes.stream().mapToInt(ClassCount::count).sum();
      groups.add(new BrowseGroup(emptyToNull(split.getKey()), total, classes));
    });
    return groups;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
