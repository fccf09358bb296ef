package imgsearch.crawl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import imgsearch.crawl.clean.RejectReason;
import java.util.List;
import java.util.Map;

/**
 * What a crawl did, written to {@code DATA/crawl-report.json}. Counts of kept images and rejections cover the
 * whole collection (earlier runs included); the {@code *_this_run} counts only this run.
 *
 * @param source the source used
 * @param parameters every setting that shaped the result (never the API key)
 * @param notes limits of the source and repairs made to an interrupted collection
 * @param started when the run started (UTC, ISO-8601)
 * @param finished when it ended
 * @param interrupted whether it was stopped before finishing
 * @param apiCalls Flickr API calls made in this run (0 for other sources)
 * @param terms one entry per term
 * @param totals sums over all terms
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrawlReport(
    @JsonProperty("source") String source,
    @JsonProperty("parameters") Map<String, Object> parameters,
    @JsonProperty("notes") List<String> notes,
    @JsonProperty("started") String started,
    @JsonProperty("finished") String finished,
    @JsonProperty("interrupted") boolean interrupted,
    @JsonProperty("api_calls") long apiCalls,
    @JsonProperty("terms") List<TermReport> terms,
    @JsonProperty("totals") Totals totals) {

  /**
   * One term.
   *
   * @param term the search term
   * @param label its class folder
   * @param target the per-term quota
   * @param kept images of the class now in the collection
   * @param train of which in train
   * @param test of which in test
   * @param keptThisRun kept in this run
   * @param candidatesThisRun candidates the source offered in this run
   * @param rejected rejections per reason, over the whole collection
   * @param rejectedThisRun rejections per reason in this run
   * @param error why the source failed for this term, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TermReport(
      @JsonProperty("term") String term,
      @JsonProperty("class") String label,
      @JsonProperty("target") int target,
      @JsonProperty("kept") int kept,
      @JsonProperty("train") int train,
      @JsonProperty("test") int test,
      @JsonProperty("kept_this_run") int keptThisRun,
      @JsonProperty("candidates_this_run") int candidatesThisRun,
      @JsonProperty("rejected") Map<String, Integer> rejected,
      @JsonProperty("rejected_this_run") Map<String, Integer> rejectedThisRun,
      @JsonProperty("error") String error) {}

  /**
   * Sums over all terms.
   *
   * @param rejected rejections per reason, over the whole collection
   * @param rejectedThisRun rejections per reason in this run
   */
  public record Totals(
      @JsonProperty("kept") int kept,
      @JsonProperty("train") int train,
      @JsonProperty("test") int test,
      @JsonProperty("kept_this_run") int keptThisRun,
      @JsonProperty("rejected") Map<String, Integer> rejected,
      @JsonProperty("rejected_this_run") Map<String, Integer> rejectedThisRun) {}

  /** Whether any term failed. */
  public boolean anyTermFailed() {
    return terms.stream().anyMatch(t -> t.error() != null);
  }

  /**
   * Whether this run tried candidates, kept none, and every one of them failed for a reason that may pass
   * (network errors, timeouts, 5xx, 429): the servers could not be reached rather than the photos being bad.
   */
  public boolean nothingKeptOnlyTransientFailures() {
    Map<String, Integer> now = totals.rejectedThisRun();
    return totals.keptThisRun() == 0 && !now.isEmpty() && now.keySet().stream().allMatch(code -> {
      RejectReason r = RejectReason.fromCode(code);
      return r != null && r.isTransient();
    });
  }
}
