package imgsearch.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recall@1 and mAP of near-duplicate queries with one right answer each, by method, part and kind of
 * edit. With one right answer, average precision is 1 / rank, so mAP is the mean reciprocal rank; an
 * original not returned at all counts 0.
 */
public final class NearDuplicateScores {

  /** Rank of a query's original when it was not returned at all. */
  public static final int NOT_FOUND = Integer.MAX_VALUE;

  private record Key(String method, String part, String kind) {}

  private static final class Sum {
    int queries;
    int first;
    double reciprocal;

    void add(int rank) {
      queries++;
      if (rank == 1) {
        first++;
      }
      reciprocal += rank == NOT_FOUND ? 0 : 1.0 / rank;
    }
  }

  private final Map<Key, Sum> sums = new LinkedHashMap<>();
  private final Set<String> methods = new LinkedHashSet<>();
  private final Set<String> parts = new LinkedHashSet<>();
  private final Set<String> kinds = new LinkedHashSet<>();

  /**
   * Records one query.
   *
   * @param method e.g. {@code edge-colour v2 / dot}
   * @param part e.g. {@code tune} or {@code held-out}
   * @param kind the edit, e.g. {@code grey}
   * @param rank 1-based rank of the original, or {@link #NOT_FOUND}
   */
  public synchronized void add(String method, String part, String kind, int rank) {
    methods.add(method);
    parts.add(part);
    kinds.add(kind);
    sums.computeIfAbsent(new Key(method, part, kind), k -> new Sum()).add(rank);
  }

  /** Declares the order of kinds in reports (kinds never added are skipped). */
  public synchronized void orderKinds(List<String> order) {
    Set<String> sorted = new LinkedHashSet<>();
    order.stream().filter(kinds::contains).forEach(sorted::add);
    sorted.addAll(kinds);
    kinds.clear();
    kinds.addAll(sorted);
  }

  /** mAP over every kind (null) or one kind. */
  public synchronized double map(String method, String part, String kind) {
    Sum s = total(method, part, kind);
    return s.queries == 0 ? Double.NaN : s.reciprocal / s.queries;
  }

  /** Recall@1 over every kind (null) or one kind. */
  public synchronized double recallAt1(String method, String part, String kind) {
    Sum s = total(method, part, kind);
    return s.queries == 0 ? Double.NaN : (double) s.first / s.queries;
  }

  /** Number of queries over every kind (null) or one kind. */
  public synchronized int queries(String method, String part, String kind) {
    return total(method, part, kind).queries;
  }

  private Sum total(String method, String part, String kind) {
    Sum t = new Sum();
    sums.forEach((k, s) -> {
      if (k.method.equals(method) && k.part.equals(part) && (kind == null || k.kind.equals(kind))) {
        t.queries += s.queries;
        t.first += s.first;
        t.reciprocal += s.reciprocal;
      }
    });
    return t;
  }

  public synchronized List<String> methods() {
    return new ArrayList<>(methods);
  }

  public synchronized List<String> parts() {
    return new ArrayList<>(parts);
  }

  public synchronized List<String> kinds() {
    return new ArrayList<>(kinds);
  }

  /** Per part: a table with one row per method: queries, recall@1, mAP overall, then mAP per kind. */
  public synchronized String toMarkdown() {
    StringBuilder md = new StringBuilder();
    for (String part : parts) {
      md.append("Part `").append(part).append("`");
      md.append(String.format(Locale.ROOT, " (%d queries; per kind:", queries(methods.iterator().next(), part, null)));
      for (String kind : kinds) {
        md.append(' ').append(kind).append(' ').append(queries(methods.iterator().next(), part, kind)).append(',');
      }
      md.setLength(md.length() - 1);
      md.append("):\n\n| method | R@1 | mAP |");
      kinds.forEach(k -> md.append(' ').append(k).append(" |"));
      md.append("\n|---|---:|---:|");
      kinds.forEach(k -> md.append("---:|"));
      md.append('\n');
      for (String method : methods) {
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |", method, recallAt1(method, part, null),
            map(method, part, null)));
        for (String kind : kinds) {
          md.append(String.format(Locale.ROOT, " %.2f |", map(method, part, kind)));
        }
        md.append('\n');
      }
      md.append('\n');
    }
    return md.toString();
  }
}
