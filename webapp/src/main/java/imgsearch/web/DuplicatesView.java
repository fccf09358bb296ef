package imgsearch.web;

import imgsearch.duplicates.DuplicateGroup;
import imgsearch.duplicates.DuplicateImage;
import imgsearch.duplicates.DuplicateMeasure;
import imgsearch.duplicates.DuplicateReport;
import imgsearch.file.ByteSizes;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One page of the Duplicates page's groups, ready to render.
 *
 * @param descriptor the vectors compared, e.g. {@code edge-colour v1}
 * @param thresholdText e.g. {@code similarity >= 0.985}
 * @param tuned whether the default threshold was chosen for these vectors
 * @param compared images compared
 * @param notCompared images without such vectors
 * @param groupCount groups in all pages
 * @param redundantImages images that are not the keeper of their group, in all pages
 * @param redundantSize the bytes they take, for people
 * @param groups this page's groups
 */
public record DuplicatesView(String descriptor, String thresholdText, boolean tuned, int compared, int notCompared,
    int groupCount, int redundantImages, String redundantSize, List<Group> groups) {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
      .withZone(ZoneId.systemDefault());

  /**
   * A group as a row of thumbnails, the keeper first.
   *
   * @param number its rank, 1 for the best
   * @param keepReason why the first image is suggested
   * @param redundantSize what the others take
   * @param images keeper first
   */
  public record Group(int number, String keepReason, String redundantSize, List<Image> images) {}

  /**
   * One image of a group.
   *
   * @param id image id
   * @param url the full image
   * @param thumbnailUrl its thumbnail
   * @param similarUrl "more like this"
   * @param fileName file name
   * @param path full path
   * @param resolution e.g. {@code 4032 x 3024}
   * @param size file size, e.g. {@code 3.2 MB}
   * @param date modification date, or {@code missing}
   * @param score closeness to the keeper, e.g. {@code 0.987} or {@code 3 bits}; null for the keeper
   * @param keep whether it is the suggested keeper
   */
  public record Image(String id, String url, String thumbnailUrl, String similarUrl, String fileName, String path,
      String resolution, String size, String date, String score, boolean keep) {

    /** What the picture is, for screen readers. */
    public String altText() {
      return (keep ? "Keep: " : "Duplicate: ") + fileName + ", " + resolution;
    }
  }

  static DuplicatesView of(DuplicateReport r, int offset, int limit) {
    DuplicateMeasure m = r.measure();
    List<Group> groups = new ArrayList<>();
    int end = (int) Math.min(r.groups().size(), (long) offset + limit);
    for (int g = offset; g < end; g++) {
      DuplicateGroup group = r.groups().get(g);
      List<Image> images = new ArrayList<>();
      for (DuplicateImage d : group.images()) {
        images.add(new Image(d.image().id(), Urls.image(d.image().id()), Urls.thumbnail(d.image().id()),
            "/search?id=" + Urls.query(d.image().id()), d.image().fileName(), d.image().path(),
            d.image().width() + " × " + d.image().height(), ByteSizes.decimal(d.image().sizeBytes()),
            d.modified() == null ? "missing" : DATE.format(d.modified()),
            d.score() == null ? null : m.higherIsCloser() ? m.format(d.score()) : m.format(d.score()) + " bits",
            d.keep()));
      }
      groups.add(new Group(g + 1, group.keepReason().text(), ByteSizes.decimal(group.redundantBytes()), images));
    }
    return new DuplicatesView(r.spec().title(), m.describeThreshold(r.threshold()), r.tuned(), r.compared(),
        r.indexed() - r.compared(), r.groups().size(), r.redundantImages(), ByteSizes.decimal(r.redundantBytes()),
        groups);
  }
}
