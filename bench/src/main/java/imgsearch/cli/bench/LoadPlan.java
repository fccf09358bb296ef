package imgsearch.cli.bench;

import imgsearch.cli.UserError;
import imgsearch.cli.bench.LoadRequest.Kind;
import imgsearch.cli.bench.LoadRequest.Upload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A seeded mix of good and bad search requests: the same seed and inputs always give the same list.
 * Good: uploads of indexed photos, searches by indexed id, text queries (only when the server can embed
 * text). Bad, each answered by the server with its documented 4xx JSON error: not an image, a truncated
 * JPEG, an unknown descriptor, k out of range, an empty upload, HTML sent as a JPEG, an unknown id.
 */
public final class LoadPlan {

  /**
   * An indexed photo the plan can upload.
   *
   * @param path its path in the index
   * @param bytes its file content
   */
  public record Photo(String path, byte[] bytes) {}

  /** Relative frequency of each kind; the seven bad kinds together are about 30% of the requests. */
  static final Map<Kind, Integer> WEIGHTS = new EnumMap<>(Map.of(Kind.UPLOAD, 30, Kind.BY_ID, 30, Kind.TEXT, 10,
      Kind.NOT_AN_IMAGE, 4, Kind.TRUNCATED_JPEG, 4, Kind.UNKNOWN_DESCRIPTOR, 4, Kind.K_OUT_OF_RANGE, 4,
      Kind.EMPTY_UPLOAD, 4, Kind.HTML_AS_IMAGE, 4, Kind.UNKNOWN_ID, 4));

  static final List<String> PHRASES = List.of("a red fox in the snow", "a sailing boat at sea", "a lighthouse on a cliff",
      "autumn leaves on the ground", "a city street at night", "mountains under clouds", "a cup of coffee",
      "waves on a sandy beach");

  static final List<String> BAD_K = List.of("0", "1001", "-3", "ten", "99999999999");

  private static final byte[] HTML = ("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
      + "<body><h1>Not Found</h1><p>The requested photo was not found on this server.</p></body></html>\n")
      .getBytes(StandardCharsets.UTF_8);

  private LoadPlan() {}

  /**
   * @param photos indexed photos to upload (and to cut short)
   * @param ids indexed ids to search by
   * @param indexed whether an id is in the index (an "unknown" id must not be)
   * @param text whether the server can search by words
   */
  public static List<LoadRequest> generate(Random random, int count, List<Photo> photos, List<String> ids,
      Predicate<String> indexed, boolean text) {
    if (photos.isEmpty() || ids.isEmpty()) {
      throw UserError.failure("the plan needs at least one indexed photo and id");
    }
    List<Kind> kinds = new ArrayList<>();
    List<Integer> cumulative = new ArrayList<>();
    int total = 0;
    for (Kind k : Kind.values()) {
      if (k == Kind.TEXT && !text) {
        continue;
      }
      total += WEIGHTS.get(k);
      kinds.add(k);
      cumulative.add(total);
    }
    List<String> unknownIds = new ArrayList<>();
    while (unknownIds.size() < 8) {
      byte[] b = new byte[8];
      random.nextBytes(b);
      String id = HexFormat.of().formatHex(b);
      if (!indexed.test(id)) {
        unknownIds.add(id);
      }
    }
    List<LoadRequest> plan = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int r = random.nextInt(total);
      int k = 0;
      while (cumulative.get(k) <= r) {
        k++;
      }
      plan.add(request(kinds.get(k), random, photos, ids, unknownIds));
    }
    return plan;
  }

  private static LoadRequest request(Kind kind, Random random, List<Photo> photos, List<String> ids,
      List<String> unknownIds) {
    Photo photo = photos.get(random.nextInt(photos.size()));
    String id = ids.get(random.nextInt(ids.size()));
    return switch (kind) {
      case UPLOAD -> new LoadRequest(kind, null, new Upload(photo.bytes(), photo.bytes().length, "photo.jpg", "image/jpeg"),
          200, null, "upload:" + photo.path(), photo.path());
      case BY_ID -> new LoadRequest(kind, LoadRequest.param("id", id), null, 200, null, "id:" + id, null);
      case TEXT -> {
        String phrase = PHRASES.get(random.nextInt(PHRASES.size()));
        yield new LoadRequest(kind, LoadRequest.param("text", phrase), null, 200, null, "text:" + phrase, null);
      }
      case NOT_AN_IMAGE -> {
        boolean binary = random.nextBoolean();
        byte[] bytes = new byte[2048];
        random.nextBytes(bytes);
        if (binary) {
          bytes[0] = 0; // no image format starts with a zero byte: random bytes must not be a valid header by chance
        } else {
          byte[] words = "This is a plain text file, not a photo. ".repeat(60).getBytes(StandardCharsets.UTF_8);
          System.arraycopy(words, 0, bytes, 0, bytes.length);
        }
        yield new LoadRequest(kind, null, new Upload(bytes, bytes.length, binary ? "data.bin" : "notes.txt",
            binary ? "application/octet-stream" : "text/plain"), 415, "not_an_image", null, null);
      }
      case TRUNCATED_JPEG -> {
        int keep = (int) (photo.bytes().length * (0.2 + 0.6 * random.nextDouble()));
        yield new LoadRequest(kind, null, new Upload(photo.bytes(), keep, "cut.jpg", "image/jpeg"), 422,
            "truncated_image", null, null);
      }
      case UNKNOWN_DESCRIPTOR -> new LoadRequest(kind, LoadRequest.param("id", id) + "&"
          + LoadRequest.param("descriptor", "no-such-descriptor"), null, 400, "unknown_descriptor", null, null);
      case K_OUT_OF_RANGE -> new LoadRequest(kind, LoadRequest.param("id", id) + "&"
          + LoadRequest.param("k", BAD_K.get(random.nextInt(BAD_K.size()))), null, 400, "bad_k", null, null);
      // A form whose file input was left empty (no name, no bytes), or a file of zero bytes.
      case EMPTY_UPLOAD -> random.nextBoolean()
          ? new LoadRequest(kind, null, new Upload(new byte[0], 0, "", "application/octet-stream"), 400, "no_file", null, null)
          : new LoadRequest(kind, null, new Upload(new byte[0], 0, "empty.jpg", "image/jpeg"), 415, "not_an_image", null, null);
      case HTML_AS_IMAGE -> new LoadRequest(kind, null, new Upload(HTML, HTML.length, "photo.jpg", "image/jpeg"), 415,
          "not_an_image", null, null);
      case UNKNOWN_ID -> new LoadRequest(kind, LoadRequest.param("id", unknownIds.get(random.nextInt(unknownIds.size()))),
          null, 404, "unknown_id", null, null);
    };
  }
}
