package imgsearch.cli;

import ai.onnxruntime.OrtProvider;
import imgsearch.descriptor.deep.DeepModels;
import imgsearch.descriptor.deep.ModelCheck;
import imgsearch.descriptor.deep.ModelCheck.Encoder;
import imgsearch.descriptor.deep.ModelCheck.Report;
import imgsearch.descriptor.deep.ModelCheck.Similarity;
import imgsearch.model.ExecutionProviders;
import imgsearch.model.ModelCatalog;
import imgsearch.model.ModelOptions;
import imgsearch.model.ModelSpec;
import imgsearch.model.ModelStore;
import imgsearch.model.ModelStore.FileStatus;
import imgsearch.model.ModelStore.State;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code imgsearch models verify}: loads each downloaded (or named) model as the descriptors do, runs it
 * on a built-in test image and test sentences, and prints what was bound, where it runs, what it outputs
 * and how fast; for CLIP, how the test image ranks the sentences.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Load every downloaded model (or those named, downloading them first; with --model-dir, those"
        + " in the folder) and check it on a built-in test image (a red circle on white) and test sentences.",
        "Prints each model's file and SHA-256, the signature read from the file and what was bound to it, the"
            + " execution provider it runs on, the output's length and norm, the time per image on this machine,"
            + " and for CLIP the test sentences ranked by similarity with the test image (the sentence that"
            + " describes it must come first)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every model verified", "1:a model failed (or there was none to verify)", "2:wrong arguments"})
final class ModelsVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand ModelsCommand parent;

  @Parameters(paramLabel = "NAME", arity = "0..*",
      description = "Models to verify (clip-vit-b32, resnet50-v1), descriptors (clip, resnet50) or 'all';"
          + " missing files are downloaded. Default: every model whose files are downloaded or in --model-dir.")
  List<String> names = new ArrayList<>();

  @Mixin ModelLocation location;

  @Override
  public Integer call() {
    ModelCatalog catalog = parent.catalog;
    ModelOptions options = location.orElse(parent.location).options(spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    Map<ModelSpec, String> chosen = choose(catalog, new ModelStore(options), options);
    List<String> failed = new ArrayList<>();
    try (DeepModels models = new DeepModels(catalog, options)) {
      out.printf("ONNX Runtime %s, execution providers in this build: %s; --device %s%n",
          ExecutionProviders.onnxRuntimeVersion(), String.join(", ",
              ExecutionProviders.offered().stream().map(OrtProvider::name).toList()),
          options.device().name().toLowerCase(Locale.ROOT));
      out.printf("Test image: %s, 320x240, built in.%n", ModelCheck.DESCRIBING_SENTENCE);
      for (Map.Entry<ModelSpec, String> e : chosen.entrySet()) {
        ModelSpec model = e.getKey();
        out.printf("%n%s  %s%n", model.name(), model.title());
        out.flush();
        Report report = ModelCheck.run(models, model, e.getValue() == null, e.getValue());
        print(out, report);
        if (!report.ok()) {
          failed.add(model.name());
        }
      }
    }
    out.println();
    if (failed.isEmpty()) {
      out.printf("%d of %d models verified.%n", chosen.size(), chosen.size());
      return 0;
    }
    out.printf("%d of %d models failed: %s.%n", failed.size(), chosen.size(), String.join(", ", failed));
    return 1;
  }

  /**
   * The models to check, each with why its text encoder is skipped ({@code null}: checked, or it has
   * none). Named models are checked whole (missing files are downloaded); otherwise every model whose
   * image encoder is on disk, with its text encoder when that is on disk too.
   */
  private Map<ModelSpec, String> choose(ModelCatalog catalog, ModelStore store, ModelOptions options) {
    Map<ModelSpec, String> chosen = new LinkedHashMap<>();
    if (!names.isEmpty()) {
      for (String name : names) {
        List<ModelSpec> models = "all".equals(name) ? catalog.models()
            : List.of(catalog.findByNameOrDescriptor(name).orElseThrow(() -> UserError.usage("unknown model '" + name
                + "'; known: " + String.join(", ", catalog.models().stream().map(ModelSpec::name).toList())
                + " (or the descriptors " + String.join(", ", catalog.descriptorNames()) + ")")));
        models.forEach(m -> chosen.put(m, null));
      }
      return chosen;
    }
    for (ModelSpec model : catalog.models()) {
      List<FileStatus> files = store.status(model);
      if (!onDisk(files.get(0))) {
        continue;
      }
      boolean textOnDisk = files.stream().skip(1).allMatch(ModelsVerifyCommand::onDisk);
      chosen.put(model, !model.embedsText() || textOnDisk ? null
          : "its text files are not " + (options.modelDir() != null ? "in the folder" : "downloaded")
              + "; `imgsearch models verify " + model.descriptor() + "` fetches and checks them");
    }
    if (chosen.isEmpty()) {
      throw UserError.failure("no model to verify: " + (options.modelDir() != null
          ? options.modelDir() + " has none of the catalogue's image encoders (`imgsearch models --model-dir "
              + options.modelDir() + "` lists what is expected)"
          : "none is downloaded in " + options.cacheDir() + ". `imgsearch models verify clip` downloads CLIP and"
              + " checks it; --model-dir DIR checks files you have"));
    }
    return chosen;
  }

  private static boolean onDisk(FileStatus f) {
    return f.state() == State.CACHED || f.state() == State.LOCAL;
  }

  private static void print(PrintWriter out, Report r) {
    if (r.image() != null) {
      printEncoder(out, "image encoder", r.image());
      if (r.timing() != null) {
        ModelCheck.Timing t = r.timing();
        out.printf(Locale.ROOT, "    time       %.1f ms per image on this machine (%.1f ms of it preprocessing;"
            + " %d images, %d per call)%n", t.millisPerImage(), t.preprocessingMillisPerImage(), t.images(),
            t.batchSize());
      }
    }
    if (r.text() != null) {
      printEncoder(out, "text encoder", r.text());
    } else if (r.textSkipped() != null) {
      out.printf("  text encoder  not checked: %s%n", r.textSkipped());
    }
    if (!r.ranking().isEmpty()) {
      out.println("  test image against test sentences (cosine similarity, best first):");
      int rank = 1;
      for (Similarity s : r.ranking()) {
        out.printf(Locale.ROOT, "    %d. %7.4f  %s%s%n", rank++, s.cosine(), s.sentence(),
            s.sentence().equals(ModelCheck.DESCRIBING_SENTENCE) ? "   <- describes the test image" : "");
      }
    }
    if (r.ok()) {
      out.println("  OK");
    } else {
      r.problems().forEach(p -> out.println("  FAILED: " + p));
    }
  }

  private static void printEncoder(PrintWriter out, String part, Encoder e) {
    out.printf("  %s  %s%n", part, e.file());
    out.printf("    sha256     %s (%s)%n", e.sha256(), e.published() ? "the published file"
        : "not the published file: used as given");
    out.printf("    signature  %s%n", e.signature());
    out.printf("    bound      %s%n", e.binding());
    out.printf("    runs on    %s%n", e.provider().describe());
    out.printf(Locale.ROOT, "    output     %d values, norm %.4f before normalisation%n", e.dimension(), e.norm());
  }
}
