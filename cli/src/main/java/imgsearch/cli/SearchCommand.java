package imgsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageFilter;
import imgsearch.index.SearchHit;
import imgsearch.index.ImageIndex;
import imgsearch.search.HitView;
import imgsearch.search.ImageSearcher;
import imgsearch.search.InvalidQueryException;
import imgsearch.search.ResolvedQuery;
import imgsearch.search.ResultsView;
import imgsearch.search.SearchableDescriptors;
import imgsearch.search.SearchOptions;
import imgsearch.search.SearchResults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Find the indexed images most similar to a photo, to an indexed image, or to words.")
final class SearchCommand implements Callable<Integer> {

  static final class Query {
    @Option(names = "--image", paramLabel = "FILE", description = "A photo to search by.")
    Path image;

    @Option(names = "--id", paramLabel = "ID", description = "An indexed image's id: more like it.")
    String id;

    @Option(names = "--text", paramLabel = "WORDS", description = "Words to search by (needs a text model such as clip in the index).")
    String text;
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Query query;

  @Mixin IndexLocation location;

  @Mixin ModelLocation models;

  @Option(names = "--descriptor", paramLabel = "NAME", description = "Descriptor (default: the best one in the index).")
  String descriptor;

  @Option(names = "--metric", paramLabel = "NAME", description = "l1, l2, cosine, correlation, chi2 or dot (default: the descriptor's best).")
  String metric;

  @Option(names = {"-k", "--top"}, paramLabel = "K", description = "Number of results (default ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(names = "--exact", description = "Compare with every stored vector instead of using the HNSW graph.")
  boolean exact;

  @Option(names = "--split", paramLabel = "SPLIT", description = "Only search train or test images.")
  String split;

  @Option(names = "--class", paramLabel = "CLASS", description = "Only search images of this class.")
  String label;

  @Option(names = "--json", description = "Print machine-readable JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SearchOptions options;
    try {
      options = new SearchOptions(descriptor, metric == null ? null : SearchOptions.parseMetric(metric), k, exact,
          new ImageFilter(split, label));
    } catch (InvalidQueryException e) {
      throw UserError.usage(e.getMessage());
    }
    try (ImageIndex index = location.openForReading();
         Descriptors known = Descriptors.load(models.options(spec.commandLine().getErr()))) {
      ImageSearcher searcher = new ImageSearcher(index, known.registry());
      // The index's descriptors are read once; the query is checked before the photo is decoded.
      SearchableDescriptors catalogue = searcher.catalogue();
      ResolvedQuery resolved = catalogue.resolve(options, query.text != null);
      SearchResults results;
      if (query.image != null) {
        try {
          results = searcher.byImage(new ImageDecoder().decode(query.image, catalogue.inputSide()).image(), resolved);
        } catch (ImageDecodeException e) {
          throw UserError.failure(query.image + ": " + e.getMessage());
        }
      } else if (query.id != null) {
        results = searcher.byId(query.id, resolved);
      } else {
        results = searcher.byText(query.text, resolved);
      }
      print(spec.commandLine().getOut(), results);
      return 0;
    }
  }

  private void print(PrintWriter out, SearchResults r) throws Exception {
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(r)));
      return;
    }
    out.printf(Locale.ROOT, "%d results by %s / %s (%s, %d ms); %s%n", r.hits().size(), r.descriptor(), r.metric().id(),
        r.exact() ? "exact" : "HNSW where possible", r.tookMs(),
        r.metric().higherIsBetter() ? "higher score = more similar" : "lower score = more similar");
    int rank = 1;
    for (SearchHit h : r.hits()) {
      out.printf(Locale.ROOT, "%3d  %12.6g  %-16s %-6s %s%n", rank++, h.score(), nullToDash(h.image().label()),
          nullToDash(h.image().split()), h.image().path());
    }
  }

  /** The web API's answer to the same search (without its image URLs: nothing is served here). */
  ResultsView toJson(SearchResults r) {
    ResultsView.QueryView asked = query.image != null ? new ResultsView.QueryView("image", null, null)
        : query.id != null ? new ResultsView.QueryView("id", query.id, null)
        : new ResultsView.QueryView("text", null, query.text);
    return ResultsView.of(r, k, asked, HitView.Links.NONE);
  }

  private static String nullToDash(String s) {
    return s == null ? "-" : s;
  }
}
