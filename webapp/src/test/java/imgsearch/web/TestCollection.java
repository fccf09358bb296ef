package imgsearch.web;

import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.descriptor.HsvHistogramDescriptor;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.PixelsDescriptor;
import imgsearch.file.Sha256;
import imgsearch.image.ImageDecodeException;
import imgsearch.image.ImageDecoder;
import imgsearch.index.Attribution;
import imgsearch.index.ImageRecord;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small generated collection ({@code train/} and {@code test/} folders of three colour-tinted classes)
 * indexed with hsv-hist, pixels (32 x 32) and a toy text-capable descriptor, for the web tests. Some
 * images carry attribution, including hostile text and a {@code javascript:} link that must never be
 * rendered as markup or as a link.
 */
final class TestCollection implements AutoCloseable {

  static final List<String> CLASSES = List.of("amber", "forest", "ocean");
  static final int TRAIN_PER_CLASS = 6;
  static final int TEST_PER_CLASS = 2;
  static final String HOSTILE_TITLE = "<script>alert('x')</script> Sunset & \"friends\"";
  static final String HOSTILE_OWNER = "O'Brien <b>bold</b>";
  static final String FLICKR_PAGE = "https://www.flickr.com/photos/someone/123456";

  private static final int[] TINTS = {0xE0A020, 0x209040, 0x2060D0};

  final Path root;
  final Path collection;
  final Path indexDir;
  final LuceneImageIndex index;
  final DescriptorRegistry registry;
  /** Image ids by file name, e.g. {@code train-amber-0.jpg}. */
  final Map<String, String> ids = new LinkedHashMap<>();
  /** Encoded bytes by file name. */
  final Map<String, byte[]> files = new HashMap<>();

  private TestCollection(Path root) throws IOException {
    this.root = root;
    this.collection = root.resolve("photos");
    this.indexDir = root.resolve("index");
    this.registry = registry();
    this.index = LuceneImageIndex.open(indexDir);
  }

  /** The descriptors the test index holds, as a program able to compute them would register them. */
  static DescriptorRegistry registry() {
    return new DescriptorRegistry()
        .register(HsvHistogramDescriptor.NAME, "HSV colour histogram", HsvHistogramDescriptor::fromConfig)
        .register(PixelsDescriptor.NAME, "raw pixels", PixelsDescriptor::fromConfig)
        .register(ColourWords.NAME, "toy text descriptor", config -> new ColourWords());
  }

  static TestCollection create(Path root) throws IOException {
    TestCollection c = new TestCollection(root);
    c.build();
    return c;
  }

  private void build() throws IOException {
    List<Descriptor> descriptors = List.of(HsvHistogramDescriptor.fromConfig(""), new PixelsDescriptor(32),
        new ColourWords());
    for (Descriptor d : descriptors) {
      index.registerDescriptor(d.spec());
    }
    int seed = 1;
    for (String split : List.of("train", "test")) {
      int perClass = split.equals("train") ? TRAIN_PER_CLASS : TEST_PER_CLASS;
      for (int c = 0; c < CLASSES.size(); c++) {
        for (int i = 0; i < perClass; i++) {
          String label = CLASSES.get(c);
          String name = split + "-" + label + "-" + i + ".jpg";
          BufferedImage image = tinted(TestImages.photoLike(seed++, 120, 90), TINTS[c]);
          byte[] jpeg = TestImages.jpeg(image, 0.92f);
          Path dir = Files.createDirectories(collection.resolve(split).resolve(label));
          Path file = TestImages.write(dir, name, jpeg);
          Map<String, float[]> vectors = new HashMap<>();
          BufferedImage decoded = decode(jpeg);
          for (Descriptor d : descriptors) {
            vectors.put(d.name(), d.describe(decoded));
          }
          String id = sha256(file.toAbsolutePath().toString()).substring(0, 20);
          ImageRecord record = new ImageRecord(id, file.toAbsolutePath().toString(), sha256(jpeg), jpeg.length,
              decoded.getWidth(), decoded.getHeight(), split, label, attribution(name),
              descriptors.stream().map(d -> d.spec().key()).collect(java.util.stream.Collectors.toSet()));
          index.upsert(record, vectors);
          ids.put(name, id);
          files.put(name, jpeg);
        }
      }
    }
    index.commit();
  }

  /** Flickr-like attribution on two images: one hostile, one with a scheme that must not become a link. */
  private static Attribution attribution(String name) {
    return switch (name) {
      case "train-amber-0.jpg" -> new Attribution("flickr", FLICKR_PAGE, "https://live.staticflickr.com/1/2_3.jpg",
          HOSTILE_TITLE, HOSTILE_OWNER, "https://www.flickr.com/people/someone", "4", "CC BY 2.0",
          "https://creativecommons.org/licenses/by/2.0/", List.of("sunset", "<tag>"), null);
      case "train-forest-0.jpg" -> new Attribution("web", "javascript:alert(2)", null, "Green walk", "Ann",
          "javascript:alert(1)", "9", "CC0 1.0", null, List.of(), null);
      default -> null;
    };
  }

  /** Decoded as the indexer decodes, so vectors match those of the same bytes uploaded. */
  static BufferedImage decode(byte[] bytes) throws IOException {
    try {
      return new ImageDecoder().decode(bytes).image();
    } catch (ImageDecodeException e) {
      throw new IOException(e);
    }
  }

  String id(String fileName) {
    return ids.get(fileName);
  }

  static BufferedImage tinted(BufferedImage image, int tint) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        int r = (((p >> 16) & 0xFF) + 2 * ((tint >> 16) & 0xFF)) / 3;
        int g = (((p >> 8) & 0xFF) + 2 * ((tint >> 8) & 0xFF)) / 3;
        int b = ((p & 0xFF) + 2 * (tint & 0xFF)) / 3;
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  static String sha256(String s) {
    return sha256(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }

  @Override
  public void close() throws IOException {
    index.close();
  }

  /**
   * A toy text-capable descriptor standing in for CLIP: images become their mean colour, words "amber",
   * "forest" and "ocean" become the colour of that class.
   */
  static final class ColourWords implements Descriptor {
    static final String NAME = "colour-words";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public String config() {
      return "";
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public List<Metric> metrics() {
      return List.of(Metric.COSINE, Metric.L2);
    }

    @Override
    public float[] describe(BufferedImage image) {
      double r = 0, g = 0, b = 0;
      int n = image.getWidth() * image.getHeight();
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int p = image.getRGB(x, y);
          r += (p >> 16) & 0xFF;
          g += (p >> 8) & 0xFF;
          b += p & 0xFF;
        }
      }
      return new float[] {(float) (r / n), (float) (g / n), (float) (b / n)};
    }

    @Override
    public boolean embedsText() {
      return true;
    }

    @Override
    public float[] describeText(String text) {
      int c = CLASSES.indexOf(text.strip().toLowerCase(java.util.Locale.ROOT));
      int tint = c < 0 ? 0x808080 : TINTS[c];
      return new float[] {(tint >> 16) & 0xFF, (tint >> 8) & 0xFF, tint & 0xFF};
    }
  }
}
