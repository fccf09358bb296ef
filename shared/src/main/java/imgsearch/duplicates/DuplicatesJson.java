package imgsearch.duplicates;

import imgsearch.index.ImageRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shape of a {@link DuplicateReport}, the same for {@code imgsearch duplicates --json} and
 * {@code GET /api/duplicates}: plain maps and lists for any JSON writer.
 */
public final class DuplicatesJson {
  private DuplicatesJson() {}

  /**
   * The report with the groups from {@code offset} on, at most {@code limit} of them.
   *
   * @param extras more fields for each image (e.g. the web app's URLs); return an empty map for none
   */
  public static Map<String, Object> of(DuplicateReport r, int offset, int limit,
      Function<ImageRecord, Map<String, Object>> extras) {
    DuplicateMeasure m = r.measure();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("descriptor", m.descriptor());
    root.put("vectors", r.spec().title());
    root.put("metric", m.metric().id());
    root.put("scoreUnit", m.unit());
    root.put("higherIsCloser", m.higherIsCloser());
    root.put("threshold", r.threshold());
    root.put("defaultThreshold", m.defaultThreshold());
    root.put("thresholdTuned", r.tuned());
    root.put("indexed", r.indexed());
    root.put("compared", r.compared());
    root.put("groupCount", r.groups().size());
    root.put("redundantImages", r.redundantImages());
    root.put("redundantBytes", r.redundantBytes());
    root.put("offset", offset);
    List<Object> groups = new ArrayList<>();
    int end = (int) Math.min(r.groups().size(), (long) offset + limit);
    for (int g = offset; g < end; g++) {
      DuplicateGroup group = r.groups().get(g);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("rank", g + 1);
      json.put("size", group.images().size());
      json.put("weakestScore", group.weakest());
      json.put("keepReason", group.keepReason().text());
      json.put("redundantBytes", group.redundantBytes());
      List<Object> images = new ArrayList<>();
      for (DuplicateImage d : group.images()) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("id", d.image().id());
        image.put("path", d.image().path());
        image.put("sizeBytes", d.image().sizeBytes());
        image.put("width", d.image().width());
        image.put("height", d.image().height());
        image.put("modified", d.modified() == null ? null : d.modified().toString());
        image.put("keep", d.keep());
        image.put("score", d.score());
        image.putAll(extras.apply(d.image()));
        images.add(image);
      }
      json.put("images", images);
      groups.add(json);
    }
    root.put("groups", groups);
    root.put("tookMs", r.millis());
    return root;
  }
}
