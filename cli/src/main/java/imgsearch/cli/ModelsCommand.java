package imgsearch.cli;

import imgsearch.file.ByteSizes;
import imgsearch.model.ModelCatalog;
import imgsearch.model.ModelFile;
import imgsearch.model.ModelOptions;
import imgsearch.model.ModelSpec;
import imgsearch.model.ModelStore.FileStatus;
import imgsearch.model.ModelStore;
import imgsearch.model.ModelUnavailableException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code imgsearch models}: the deep-model catalogue with what is on disk; {@code imgsearch models pull
 * NAME} fetches a model ahead of time; {@code imgsearch models verify} checks the models on disk. Exit
 * codes: 0 done, 1 a model could not be had (or failed its check), 2 usage.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"List the deep models (descriptors clip and resnet50): where each file comes from, its"
        + " SHA-256, size, and whether it is downloaded.",
        "Offline? Download the listed files elsewhere and put them in DIR/<model>/<file>, then pass"
            + " --model-dir DIR (or set IMGSEARCH_MODEL_DIR)."},
    subcommands = {ModelsCommand.Pull.class, ModelsVerifyCommand.class})
final class ModelsCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelLocation location;

  /** The catalogue to list; tests may swap it. */
  ModelCatalog catalog = ModelCatalog.standard();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions options = location.options(spec.commandLine().getErr());
    ModelStore store = new ModelStore(options);
    if (options.modelDir() != null) {
      out.printf("Model folder: %s (nothing is downloaded)%n%n", options.modelDir());
    } else {
      out.printf("Download cache: %s%n%n", options.cacheDir());
    }
    for (ModelSpec model : catalog.models()) {
      List<FileStatus> files = store.status(model);
      long onDisk = files.stream().mapToLong(FileStatus::bytesOnDisk).sum();
      out.printf("%s  %s%n", model.name(), model.title());
      out.printf("  descriptor %s, %d-d, %s, licence %s, %s%n", model.descriptor(), model.dimension(),
          model.embedsText() ? "image and text search" : "image search", model.license(), model.homepage());
      out.printf("  preprocessing: %s%n", model.image().preprocessing().describe());
      for (FileStatus f : files) {
        ModelFile file = f.file();
        out.printf("  %-20s %10s  %-8s %s%n", file.name(), ByteSizes.decimal(file.size()), state(f), f.path());
        out.printf("      from   %s%n", file.url());
        out.printf("      sha256 %s%n", file.sha256());
      }
      out.printf("  total %s, %s on disk%n%n", ByteSizes.decimal(model.size()), ByteSizes.decimal(onDisk));
    }
    out.println("Fetch ahead of time with `imgsearch models pull NAME`; models are otherwise fetched on first use.");
    out.println("Check what is on disk with `imgsearch models verify`.");
    return 0;
  }

  private static String state(FileStatus f) {
    return switch (f.state()) {
      case CACHED -> "cached";
      case LOCAL -> "present";
      case MISSING, LOCAL_MISSING -> "missing";
      case PARTIAL -> String.format(Locale.ROOT, "partial %d%%", 100 * f.bytesOnDisk() / f.file().size());
    };
  }

  /** {@code imgsearch models pull NAME}. */
  @Command(name = "pull", mixinStandardHelpOptions = true,
      description = {"Download a model's files into the cache and verify their SHA-256 (resuming an interrupted"
          + " download); with --model-dir, check that the folder has them.",
          "NAME is a model (clip-vit-b32, resnet50-v1), a descriptor (clip, resnet50) or 'all'."})
  static final class Pull implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ParentCommand ModelsCommand parent;

    @Parameters(paramLabel = "NAME", description = "Model or descriptor name, or 'all'.")
    String name;

    @Mixin ModelLocation location;

    @Override
    public Integer call() {
      ModelCatalog catalog = parent.catalog;
      List<ModelSpec> models = "all".equals(name) ? catalog.models()
          : List.of(catalog.findByNameOrDescriptor(name).orElseThrow(() -> UserError.usage("unknown model '" + name
              + "'; known: " + String.join(", ", catalog.models().stream().map(ModelSpec::name).toList())
              + " (or the descriptors " + String.join(", ", catalog.descriptorNames()) + ")")));
      ModelOptions options = location.orElse(parent.location).options(spec.commandLine().getErr());
      ModelStore store = new ModelStore(options);
      PrintWriter out = spec.commandLine().getOut();
      for (ModelSpec model : models) {
        try {
          List<ModelStore.LocalFile> files = store.pull(model);
          out.printf("%s: %d files ready in %s%n", model.name(), files.size(),
              files.get(0).path().getParent());
        } catch (ModelUnavailableException e) {
          throw UserError.failure(e.getMessage());
        }
      }
      return 0;
    }
  }
}
