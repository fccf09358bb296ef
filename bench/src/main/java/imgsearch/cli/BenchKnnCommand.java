package imgsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.cli.bench.KnnBench;
import imgsearch.cli.bench.Machine;
import imgsearch.eval.knn.KnnDataset;
import imgsearch.file.FileTrees;
import imgsearch.index.ImageIndex;
import imgsearch.index.Quantization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgsearch bench knn}: see {@link KnnBench}. */
@Command(name = "knn", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Nearest-neighbour search at scale, ANN-benchmarks style, on texmex files (.fvecs: per "
            + "vector an int32 dimension then that many float32; .ivecs: the same with int32 ids of the "
            + "exact nearest neighbours, best first). Vectors are unit length; similarity is the dot product.",
        "",
        "Builds an index of BASE through imgsearch's own index code (the codec, fields and search path "
            + "that 'index' and 'serve' use; force-merged into one segment, which counts in the build time), "
            + "then searches QUERIES one at a time from one thread, raising the search effort (graph "
            + "candidates, re-scored exactly) until recall@k against TRUTH reaches the target. One line per "
            + "effort; the last line is one JSON object:",
        "  n, dim           base vectors and their dimension",
        "  quantization     how the graph stores vectors (none = float32)",
        "  buildSeconds     adding every vector, committing and merging into one segment (mergeSeconds: the merge)",
        "  candidates       the search effort that reached the target (or the last one tried)",
        "  recall@K         share of each query's K exact neighbours among its K results, averaged",
        "  qps, p50Ms, p99Ms  queries per second from one thread, and latency, at that effort",
        "  heapMB           peak heap used: the most heap occupied right after any garbage collection",
        "                   (heapMaxMB: the JVM's limit; set it with IMGSEARCH_JAVA_OPTS=-Xmx...)",
        "  indexMB          the index's size on disk",
        "  latencyWhileBuilding  with --search-while-building: search latency per build phase",
        "  reference        with --reference hnswlib: the same run by hnswlib on the same files, and",
        "                   qpsRatio = qps / hnswlib's qps (hnswlib queried from one thread in one batch call)",
        "",
        "With --generate DIR: writes clustered unit vectors (base.fvecs, queries.fvecs) and their exact "
            + "100 nearest neighbours by brute force (truth.ivecs) into DIR, for the run above."},
    footer = {"", "Example:",
        "  imgsearch bench knn --generate /data/knn/100k --vectors 100000 --dimensions 512",
        "  imgsearch bench knn --base /data/knn/100k/base.fvecs --queries /data/knn/100k/queries.fvecs \\",
        "      --truth /data/knn/100k/truth.ivecs --reference hnswlib"})
final class BenchKnnCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--base", paramLabel = "BASE.fvecs", description = "Vectors to index.")
  Path base;

  @Option(names = "--queries", paramLabel = "QUERIES.fvecs", description = "Query vectors.")
  Path queries;

  @Option(names = "--truth", paramLabel = "TRUTH.ivecs", description = "Exact neighbours of each query, best first.")
  Path truth;

  @Option(names = "-k", paramLabel = "K", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(names = "--quantization", paramLabel = "Q",
      description = "How the graph stores vectors: none (float32), int8, int7, int4, int2 or int1 (default ${DEFAULT-VALUE}).")
  String quantization = Quantization.NONE.id();

  @Option(names = "--target-recall", paramLabel = "R", description = "Raise the effort until recall@k reaches this (default ${DEFAULT-VALUE}).")
  double targetRecall = 0.95;

  @Option(names = "--candidates", paramLabel = "N", description = "Try only this search effort instead of raising it.")
  int candidates;

  @Option(names = "--index", paramLabel = "DIR|solr://...",
      description = {"Where to build the index: a folder (kept afterwards), or a SolrCloud collection "
              + "(solr://HOST:PORT/COLLECTION, docs/solrcloud.md). Default: a temporary folder, deleted "
              + "afterwards."})
  String index;

  @Option(names = "--reuse", description = "Search the index an earlier run built in --index instead of building it.")
  boolean reuse;

  @Option(names = "--search-while-building",
      description = {"Commit every 10 s while building and search meanwhile from a read-only view, as a "
              + "running server would; reports latency (p50/p99/max) while vectors are added, during the "
              + "final merge, and after it."})
  boolean searchWhileBuilding;

  @Option(names = "--threads", paramLabel = "N", description = "Indexing threads (default: cores). Searching uses one.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-queries", paramLabel = "N", description = "Use only the first N queries.")
  int maxQueries;

  @Option(names = "--reference", paramLabel = "hnswlib",
      description = {"Also run hnswlib (M=16, efConstruction=100, bench/hnswlib_knn.py with Debian's "
              + "python3-hnswlib) on the same files, after this run, and report both."})
  String reference;

  @Option(names = "--reference-index", paramLabel = "FILE",
      description = {"--reference hnswlib: load hnswlib's index from FILE when it exists instead of "
              + "building it (buildSeconds is then null), else build it and save it there."})
  Path referenceIndex;

  @Option(names = "--python", paramLabel = "PATH", description = "Python with hnswlib and numpy (default ${DEFAULT-VALUE}).")
  Path python = Path.of("/usr/bin/python3");

  @Option(names = "--generate", paramLabel = "DIR", description = "Write a generated benchmark into DIR instead of running one.")
  Path generate;

  @Option(names = "--vectors", paramLabel = "N", description = "--generate: base vectors (default ${DEFAULT-VALUE}).")
  long vectors = 100_000;

  @Option(names = "--dimensions", paramLabel = "D", description = "--generate: dimensions (default ${DEFAULT-VALUE}).")
  int dimensions = 512;

  @Option(names = "--query-count", paramLabel = "N", description = "--generate: query vectors (default ${DEFAULT-VALUE}).")
  int queryCount = 1000;

  @Option(names = "--seed", paramLabel = "N", description = "--generate: seed (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (generate != null) {
      return generate(out);
    }
    if (base == null || queries == null || truth == null) {
      throw UserError.usage("give --base, --queries and --truth (or --generate DIR to write such files)");
    }
    for (Path p : List.of(base, queries, truth)) {
      if (!Files.isRegularFile(p)) {
        throw UserError.usage("no such file: " + p);
      }
    }
    if (k < 1 || targetRecall <= 0 || targetRecall > 1 || threads < 1) {
      throw UserError.usage("-k and --threads must be at least 1, --target-recall in (0, 1]");
    }
    if (reference != null && !reference.equals("hnswlib")) {
      throw UserError.usage("--reference: only hnswlib is known");
    }
    Quantization q;
    try {
      q = Quantization.fromId(quantization);
    } catch (IllegalArgumentException e) {
      throw UserError.usage(e.getMessage());
    }
    if (reuse && index == null) {
      throw UserError.usage("--reuse needs --index");
    }
    Path tmp = index == null ? Files.createTempDirectory("imgsearch-bench-knn") : null;
    IndexLocation location = new IndexLocation();
    location.index = tmp != null ? tmp.toString() : index;
    try {
      KnnBench.Settings settings = new KnnBench.Settings(base, queries, truth, k, q, targetRecall, threads, maxQueries,
          reuse, candidates, searchWhileBuilding);
      Map<String, Object> report = KnnBench.run(settings, new KnnBench.Target() {
        @Override
        public ImageIndex openForWriting() throws IOException {
          return location.openForWriting();
        }

        @Override
        public ImageIndex openForReading() throws IOException {
          return location.openForReading();
        }

        @Override
        public String describe() {
          return tmp != null ? tmp + " (temporary)" : location.describe();
        }
      }, out);
      if (reference != null) {
        Map<String, Object> ref = runHnswlib(out);
        report.put("reference", ref);
        Object refQps = ref.get("qps");
        if (refQps instanceof Number n && n.doubleValue() > 0) {
          report.put("qpsRatio", Math.round((Double) report.get("qps") / n.doubleValue() * 100) / 100.0);
        }
      }
      out.println(KnnBench.json(report));
      return 0;
    } finally {
      if (tmp != null) {
        FileTrees.delete(tmp);
      }
    }
  }

  private int generate(PrintWriter out) throws IOException {
    if (vectors < KnnDataset.TRUTH_DEPTH || dimensions < 2 || queryCount < 1) {
      throw UserError.usage("--vectors must be at least " + KnnDataset.TRUTH_DEPTH
          + ", --dimensions at least 2, --query-count at least 1");
    }
    out.println(Machine.describe());
    long start = System.nanoTime();
    KnnDataset set = KnnDataset.generate(generate, vectors, dimensions, queryCount, seed, threads, line -> {
      out.println(line);
      out.flush();
    });
    out.printf(Locale.ROOT, "done in %.1f s: %s, %s, %s%n", (System.nanoTime() - start) / 1e9, set.base(),
        set.queries(), set.truth());
    return 0;
  }

  /** Runs bench/hnswlib_knn.py on the same files; its lines are echoed, its last line (JSON) returned. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> runHnswlib(PrintWriter out) throws IOException, InterruptedException {
    Path script = hnswlibScript();
    List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "--base", base.toString(),
        "--queries", queries.toString(), "--truth", truth.toString(), "-k", Integer.toString(k), "--target-recall",
        Double.toString(targetRecall), "--threads", Integer.toString(threads)));
    if (maxQueries > 0) {
      cmd.addAll(List.of("--max-queries", Integer.toString(maxQueries)));
    }
    if (referenceIndex != null) {
      cmd.addAll(List.of("--index-file", referenceIndex.toString()));
    }
    out.println("reference: " + String.join(" ", cmd));
    out.flush();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.println("  " + line);
        out.flush();
        last = line;
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || last == null || !last.startsWith("{")) {
      throw UserError.failure("the hnswlib reference failed (exit " + exit + "); it needs " + python
          + " with Debian's python3-hnswlib and python3-numpy (apt-get install python3-hnswlib)");
    }
    return new ObjectMapper().readValue(last, Map.class);
  }

  /** bench/hnswlib_knn.py of this checkout: beside the folder the command line's jar was built into. */
  private static Path hnswlibScript() {
    try {
      Path jar = Path.of(BenchKnnCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve("bench").resolve("hnswlib_knn.py");
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    } catch (java.net.URISyntaxException | SecurityException e) {
      // fall through to the message below
    }
    throw UserError.failure("cannot find bench/hnswlib_knn.py beside this imgsearch; run it by hand (see BENCHMARKS.md)");
  }
}
