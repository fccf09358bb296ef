package imgsearch.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import imgsearch.descriptor.Metric;
import imgsearch.file.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of one {@code imgsearch eval} run: test images were the queries, train images the
 * database, and a result was relevant when it had the query's class. Written as JSON so the web app can
 * show the numbers of the last run without recomputing them.
 *
 * @param createdAt when the run finished, ISO-8601 (UTC)
 * @param parameters what was evaluated and how
 * @param queries test images used as queries
 * @param skippedQueries test images not used because their class has no train image (or they have no class)
 * @param databaseImages train images ranked for every query
 * @param classes classes of the queries, sorted
 * @param tookMs wall time of the run
 * @param methods one entry per descriptor x metric, in evaluation order (see {@link #methodsByMap()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvalReport(String createdAt, Parameters parameters, int queries, int skippedQueries,
    int databaseImages, List<String> classes, long tookMs, List<MethodResult> methods) {

  /** Folder, inside an index folder, where the CLI writes the latest report (see {@link EvalFiles}). */
  public static final String DEFAULT_DIR_NAME = "eval";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public EvalReport {
    classes = List.copyOf(classes);
    methods = List.copyOf(methods);
  }

  /**
   * How the run was made.
   *
   * @param descriptors descriptor names evaluated
   * @param metrics metric ids evaluated (each descriptor only with the metrics it supports)
   * @param exact whether rankings came from an exact scan (always true: approximate search would blur the
   *     comparison between descriptors)
   * @param curveDepth largest k of {@link MethodResult#precisionAtK()}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Parameters(List<String> descriptors, List<String> metrics, boolean exact, int curveDepth) {
    public Parameters {
      descriptors = List.copyOf(descriptors);
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * Means over a set of queries.
   *
   * @param queries number of queries averaged
   * @param meanAveragePrecision mAP over the whole ranked database
   * @param precisionAt1 P@1
   * @param precisionAt5 P@5
   * @param precisionAt10 P@10
   * @param recallAt10 R@10
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Scores(int queries, double meanAveragePrecision, double precisionAt1, double precisionAt5,
      double precisionAt10, double recallAt10) {}

  /**
   * The numbers of one descriptor x metric.
   *
   * @param descriptor descriptor name
   * @param descriptorTitle descriptor identity with version and config, e.g. {@code pixels v1 (size=32)}
   *     ({@link imgsearch.descriptor.DescriptorSpec#title()}); {@code descriptorLabel} in the JSON, as in reports
   *     written before the rename
   * @param metric metric id, e.g. {@code l2}
   * @param overall means over all queries
   * @param perClass means over the queries of each class, by class name
   * @param precisionAtK mean precision at k for k = 1, 2, ... {@link Parameters#curveDepth()}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"descriptor", "descriptorLabel"}) // the renamed component keeps its place in the JSON
  public record MethodResult(String descriptor, @JsonProperty("descriptorLabel") String descriptorTitle, String metric,
      Scores overall, Map<String, Scores> perClass, List<Double> precisionAtK) {

    public MethodResult {
      perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
      precisionAtK = List.copyOf(precisionAtK);
    }

    /** Short display name, e.g. {@code cedd / l2}. */
    public String name() {
      return descriptor + " / " + metric;
    }

    /** The metric as an enum. */
    public Metric metricValue() {
      return Metric.fromId(metric);
    }
  }

  /** The methods, best mean average precision first. */
  public List<MethodResult> methodsByMap() {
    return methods.stream()
        .sorted(Comparator.comparingDouble((MethodResult m) -> m.overall().meanAveragePrecision()).reversed()
            .thenComparing(MethodResult::name))
        .toList();
  }

  /** Writes the report as indented JSON, replacing the file in one step so readers never see half of it. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.replace(file, tmp -> JSON.writeValue(tmp.toFile(), this));
  }

  /** Reads a report written by {@link #write}. */
  public static EvalReport read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), EvalReport.class);
  }

  /** Overall table rows, best mAP first; the first row is the header. */
  public List<List<String>> tableRows() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("method", "queries", "mAP", "P@1", "P@5", "P@10", "R@10"));
    for (MethodResult m : methodsByMap()) {
      rows.add(withScores(List.of(m.name()), m.overall()));
    }
    return rows;
  }

  /** Per-class table rows: for each class, its methods best mAP first; the first row is the header. */
  public List<List<String>> classTableRows() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("class", "method", "queries", "mAP", "P@1", "P@5", "P@10", "R@10"));
    for (String c : classes) {
      methods.stream()
          .filter(m -> m.perClass().containsKey(c))
          .sorted(Comparator.comparingDouble((MethodResult m) -> m.perClass().get(c).meanAveragePrecision())
              .reversed().thenComparing(MethodResult::name))
          .forEach(m -> rows.add(withScores(List.of(c, m.name()), m.perClass().get(c))));
    }
    return rows;
  }

  /** One row per method, best mAP first, aligned in columns. */
  public String toTable() {
    return align(tableRows(), 1);
  }

  /** One row per class and method, aligned in columns. */
  public String toClassTable() {
    return align(classTableRows(), 2);
  }

  private static List<String> withScores(List<String> lead, Scores s) {
    List<String> row = new ArrayList<>(lead);
    row.add(Integer.toString(s.queries()));
    for (double v : new double[] {s.meanAveragePrecision(), s.precisionAt1(), s.precisionAt5(), s.precisionAt10(),
        s.recallAt10()}) {
      row.add(String.format(Locale.ROOT, "%.3f", v));
    }
    return row;
  }

  /** Pads columns to equal width: the first {@code textColumns} left-aligned, numbers right-aligned. */
  private static String align(List<List<String>> rows, int textColumns) {
    int[] width = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String pad = " ".repeat(width[i] - cell.length());
        line.append(i == 0 ? "" : "  ").append(i < textColumns ? cell + pad : pad + cell);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
