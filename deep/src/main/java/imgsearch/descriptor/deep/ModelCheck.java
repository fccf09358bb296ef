package imgsearch.descriptor.deep;

import imgsearch.model.ExecutionProviders;
import imgsearch.model.ImagePreprocessor;
import imgsearch.model.ModelSpec;
import imgsearch.model.ModelStore;
import imgsearch.model.ModelStore.LocalFile;
import imgsearch.model.ModelUnavailableException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Loads a catalogued model the way the descriptors do and checks it on a built-in test image and test
 * sentences: what was bound, where it runs, what it outputs, how fast, and for a text model whether the
 * sentence that describes the test image ranks first. {@code imgsearch models verify} prints the
 * {@link Report}s, so a user with the real files can see in one command that a model does what it
 * should.
 */
public final class ModelCheck {

  /** The sentence that describes {@link #testImage()}. */
  public static final String DESCRIBING_SENTENCE = "a red circle on a white background";
  /** Sentences the test image is compared with: the describing one and unrelated ones. */
  public static final List<String> SENTENCES = List.of(DESCRIBING_SENTENCE, "a blue square on a black background",
      "a photo of a dog", "green grass in a field", "a page of printed text");

  /** Timed calls stop after this many, or after {@link #TIME_BUDGET_NANOS}. */
  private static final int MAX_TIMED_CALLS = 5;
  private static final long TIME_BUDGET_NANOS = 3_000_000_000L;
  /** Cosine a batched vector must reach with the same image's single vector. */
  private static final double SAME_VECTOR = 0.9999;

  private ModelCheck() {}

  /**
   * One encoder file as loaded.
   *
   * @param file the file on disk
   * @param sha256 its SHA-256
   * @param published whether it is the catalogue's published file
   * @param signature the graph's inputs and outputs as read from the file
   * @param binding what was bound to what
   * @param provider where it runs
   * @param dimension length of its output for one input
   * @param norm Euclidean norm of that output, before imgsearch normalises it
   */
  public record Encoder(Path file, String sha256, boolean published, String signature, String binding,
      ExecutionProviders.Choice provider, int dimension, double norm) {}

  /**
   * Speed of the image encoder on this machine.
   *
   * @param millisPerImage preprocessing and inference, per image
   * @param preprocessingMillisPerImage preprocessing alone, per image
   * @param images images timed
   * @param batchSize images per inference call
   */
  public record Timing(double millisPerImage, double preprocessingMillisPerImage, int images, int batchSize) {}

  /** A test sentence and its cosine similarity with the test image. */
  public record Similarity(String sentence, double cosine) {}

  /**
   * What checking one model found.
   *
   * @param image the image encoder, or {@code null} when it could not be loaded
   * @param timing its speed, or {@code null}
   * @param text the text encoder, or {@code null} when the model has none, it was not checked or it failed
   * @param textSkipped why the text encoder was not checked, or {@code null}
   * @param ranking test sentences by similarity with the test image, best first (text models only)
   * @param problems what is wrong; empty when the model verified
   */
  public record Report(ModelSpec model, Encoder image, Timing timing, Encoder text, String textSkipped,
      List<Similarity> ranking, List<String> problems) {

    public Report {
      ranking = List.copyOf(ranking);
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** The built-in test image: a red disc on white, 320 x 240. */
  public static BufferedImage testImage() {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 320, 240);
    g.setColor(new Color(220, 20, 20));
    g.fillOval(60, 20, 200, 200);
    g.dispose();
    return image;
  }

  /**
   * Checks {@code spec} with the files {@code models} finds (downloading missing ones when allowed).
   *
   * @param withText whether to check the text encoder too (when the model has one)
   * @param textSkipped when the text encoder is not checked although the model has one, why (printed)
   */
  public static Report run(DeepModels models, ModelSpec spec, boolean withText, String textSkipped) {
    List<String> problems = new ArrayList<>();
    DeepDescriptor descriptor;
    Encoder image = null;
    Timing timing = null;
    float[] imageVector = null;
    try {
      descriptor = models.descriptor(spec.descriptor(), "model=" + spec.name());
      ImageEncoder encoder = descriptor.image();
      BufferedImage test = testImage();
      float[] raw = encoder.embedRaw(List.of(test)).get(0);
      image = new Encoder(models.store().locate(spec, spec.image().file()).path(), descriptor.imageSha256(),
          descriptor.imageSha256().equals(spec.image().file().sha256()), encoder.signature(),
          encoder.binding().describe(), encoder.provider(), raw.length, norm(raw));
      checkVector("image encoder", raw, problems);
      checkBatch(encoder, test, raw, problems);
      timing = time(encoder, test);
      imageVector = Vectors.normalize(raw.clone());
    } catch (ModelUnavailableException | IllegalStateException e) {
      problems.add(e.getMessage());
      return new Report(spec, image, timing, null, null, List.of(), problems);
    }
    if (!spec.embedsText()) {
      return new Report(spec, image, timing, null, null, List.of(), problems);
    }
    if (!withText) {
      return new Report(spec, image, timing, null, textSkipped, List.of(), problems);
    }
    Encoder text = null;
    List<Similarity> ranking = new ArrayList<>();
    try {
      TextEncoder encoder = descriptor.text();
      float[] first = null;
      for (String sentence : SENTENCES) {
        float[] raw = encoder.embedRaw(sentence);
        if (first == null) {
          first = raw;
        }
        ranking.add(new Similarity(sentence, dot(imageVector, Vectors.normalize(raw.clone()))));
      }
      LocalFile file = models.store().locate(spec, spec.text().file());
      text = new Encoder(file.path(), file.sha256(), ModelStore.isPublished(spec.text().file(), file),
          encoder.signature(), encoder.binding().describe(), encoder.provider(), first.length, norm(first));
      checkVector("text encoder", first, problems);
      ranking.sort(Comparator.comparingDouble(Similarity::cosine).reversed());
      if (!ranking.get(0).sentence().equals(DESCRIBING_SENTENCE)) {
        problems.add(String.format(Locale.ROOT, "the test image (%s) matches \"%s\" better than \"%s\": the image"
            + " and text encoders do not agree; are they the files of one model?", DESCRIBING_SENTENCE,
            ranking.get(0).sentence(), DESCRIBING_SENTENCE));
      }
    } catch (ModelUnavailableException | IllegalStateException e) {
      problems.add(e.getMessage());
      ranking.clear();
    }
    return new Report(spec, image, timing, text, null, ranking, problems);
  }

  private static void checkVector(String part, float[] v, List<String> problems) {
    for (float x : v) {
      if (!Float.isFinite(x)) {
        problems.add("the " + part + " outputs a value that is not a finite number");
        return;
      }
    }
    if (norm(v) == 0) {
      problems.add("the " + part + " outputs only zeros");
    }
  }

  /** A batch must give each image the vector it gets alone (a graph fixed to batch 1 would not). */
  private static void checkBatch(ImageEncoder encoder, BufferedImage test, float[] single, List<String> problems) {
    int n = encoder.batchSize();
    if (n < 2) {
      return;
    }
    List<float[]> batch = encoder.embedRaw(Collections.nCopies(n, test));
    float[] unit = Vectors.normalize(single.clone());
    for (float[] v : batch) {
      if (dot(unit, Vectors.normalize(v.clone())) < SAME_VECTOR) {
        problems.add("a batch of " + n + " images gives other vectors than one image at a time");
        return;
      }
    }
  }

  private static Timing time(ImageEncoder encoder, BufferedImage test) {
    int batch = encoder.batchSize();
    List<BufferedImage> images = Collections.nCopies(batch, test);
    encoder.embedRaw(images); // warm-up
    long start = System.nanoTime();
    int calls = 0;
    do {
      encoder.embedRaw(images);
      calls++;
    } while (calls < MAX_TIMED_CALLS && System.nanoTime() - start < TIME_BUDGET_NANOS);
    double total = (System.nanoTime() - start) / 1e6;
    int timed = calls * batch;
    float[] tensor = new float[encoder.preprocessing().tensorLength()];
    long preStart = System.nanoTime();
    for (int i = 0; i < timed; i++) {
      ImagePreprocessor.toTensor(test, encoder.preprocessing(), tensor, 0);
    }
    double pre = (System.nanoTime() - preStart) / 1e6;
    return new Timing(total / timed, pre / timed, timed, batch);
  }

  private static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
