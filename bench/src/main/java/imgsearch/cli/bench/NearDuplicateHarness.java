package imgsearch.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.Metric;
import imgsearch.eval.NearDuplicateScores;
import imgsearch.eval.PhotoEdit;
import imgsearch.eval.PhotoNearDuplicateSet;
import imgsearch.eval.PhotoNearDuplicateSet.Item;
import imgsearch.file.FileTrees;
import imgsearch.image.ImageDecoder;
import imgsearch.index.IndexListener;
import imgsearch.index.IndexSummary;
import imgsearch.index.Indexer;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.web.ServerConfig;
import imgsearch.web.WebServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a {@link PhotoNearDuplicateSet} the way a user would: indexes its database folder into a fresh
 * index, serves it, uploads every query to {@code POST /api/search} and reads where the original comes
 * back. Every descriptor is asked with each of the metrics given (default: its own default).
 */
public final class NearDuplicateHarness {

  /** One way of asking: a descriptor with a metric (null: the descriptor's default). */
  public record Method(String descriptor, Metric metric) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PhotoNearDuplicateSet set;
  private final DescriptorRegistry registry;
  private final PrintWriter log;

  public NearDuplicateHarness(PhotoNearDuplicateSet set, DescriptorRegistry registry, PrintWriter log) {
    this.set = set;
    this.registry = registry;
    this.log = log;
  }

  /**
   * @param descriptors what to index
   * @param methods what to ask
   * @param ranksOut where to write one line per query and method (TSV), or null
   */
  public NearDuplicateScores run(List<Descriptor> descriptors, List<Method> methods, Path ranksOut) throws Exception {
    Path tmp = Files.createTempDirectory("imgsearch-near-duplicates");
    NearDuplicateScores scores = new NearDuplicateScores();
    scores.orderKinds(Stream.of(PhotoEdit.values()).map(PhotoEdit::id).toList());
    List<String> rankLines = new ArrayList<>();
    rankLines.add("method\tpart\tedit\tquery\trank\tfirst");
    try (LuceneImageIndex index = LuceneImageIndex.open(tmp)) {
      long t = System.nanoTime();
      IndexSummary s = new Indexer(index, new ImageDecoder(), descriptors, Runtime.getRuntime().availableProcessors())
          .index(set.databaseDir(), IndexListener.NONE);
      log.printf(Locale.ROOT, "indexed %d images (%d failed) in %.1f s%n", s.indexed(), s.failed().size(),
          (System.nanoTime() - t) / 1e9);
      log.flush();
      List<Item> queries = set.queries();
      int k = (int) Math.min(1000, set.database().size());
      Map<String, Path> fileOf = new HashMap<>();
      for (Item i : set.database()) {
        fileOf.put(i.file(), set.path(i).toAbsolutePath().normalize());
      }
      Map<Path, String> relative = new HashMap<>();
      fileOf.forEach((rel, abs) -> relative.put(abs, rel));
      try (WebServer server = WebServer.start(ServerConfig.defaults(tmp).withPort(0), index, registry)) {
        server.warmedUp().exceptionally(e -> 0).join();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(server.url() + "/api/search");
        for (Method m : methods) {
          String label = null;
          long start = System.nanoTime();
          for (Item q : queries) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("descriptor", m.descriptor());
            fields.put("metric", m.metric() == null ? null : m.metric().id());
            fields.put("k", Integer.toString(k));
            HttpResponse<String> r = http.send(Multipart.post(uri, fields, Files.readAllBytes(set.path(q))),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              throw new IOException("the server answered " + r.statusCode() + " for " + q.file() + ": " + r.body());
            }
            JsonNode answer = JSON.readTree(r.body());
            if (label == null) {
              label = answer.path("descriptor").asText() + " / " + answer.path("metric").asText();
            }
            Path original = fileOf.get(q.original());
            int rank = NearDuplicateScores.NOT_FOUND;
            JsonNode results = answer.path("results");
            for (int i = 0; i < results.size(); i++) {
              if (Path.of(results.get(i).path("path").asText()).equals(original)) {
                rank = i + 1;
                break;
              }
            }
            scores.add(label, q.part(), q.edit(), rank);
            String first = results.isEmpty() ? "-" : relative.getOrDefault(Path.of(results.get(0).path("path").asText()), "?");
            rankLines.add(label + "\t" + q.part() + "\t" + q.edit() + "\t" + q.file() + "\t"
                + (rank == NearDuplicateScores.NOT_FOUND ? "-" : rank) + "\t" + first);
          }
          log.printf(Locale.ROOT, "%s: %d queries in %.1f s%n", label, queries.size(), (System.nanoTime() - start) / 1e9);
          log.flush();
        }
      }
    } finally {
      FileTrees.delete(tmp);
    }
    if (ranksOut != null) {
      Files.write(ranksOut, rankLines);
    }
    return scores;
  }
}
