package imgsearch.model;

import imgsearch.model.ImageEncoderSpec.FeatureSource;
import imgsearch.model.ImagePreprocessing.Resize;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The deep models imgsearch knows, with the published source and SHA-256 of every file. The first
 * model listed for a descriptor name is that descriptor's default.
 *
 * <p>Sources (see {@code docs/deep-models.md}):
 * <ul>
 *   <li>{@code clip-vit-b32}: OpenAI CLIP ViT-B/32 as exported to ONNX by Qdrant (the exports FastEmbed
 *       uses), pinned to the Hugging Face revisions most projects pin; SHA-256 as published in the
 *       repositories' LFS pointers and pinned by several independent projects.
 *   <li>{@code resnet50-v1}: ResNet-50 v1 from the ONNX model zoo ({@code resnet50-v1-12.onnx}, the current
 *       file under {@code validated/}), pinned to a commit of github.com/onnx/models; SHA-256 from its Git
 *       LFS pointer. Its global features are the 2048 outputs of the last global average pool, before the
 *       ImageNet classifier.
 * </ul>
 */
public final class ModelCatalog {

  private final List<ModelSpec> models;

  private ModelCatalog(List<ModelSpec> models) {
    this.models = List.copyOf(models);
    Set<String> names = new LinkedHashSet<>();
    for (ModelSpec m : this.models) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("model listed twice: " + m.name());
      }
    }
  }

  /** A catalogue of the given models (tests use small ones). */
  public static ModelCatalog of(List<ModelSpec> models) {
    return new ModelCatalog(models);
  }

  /** The models imgsearch ships knowledge of. */
  public static ModelCatalog standard() {
    return new ModelCatalog(List.of(clipVitB32(), resnet50v1()));
  }

  /** OpenAI CLIP ViT-B/32, Qdrant's ONNX export: 512-d image and text embeddings. */
  public static ModelSpec clipVitB32() {
    String vision = "https://huggingface.co/Qdrant/clip-ViT-B-32-vision/resolve/e0c24ed0fa57fa3e4f97f30de74c51d944036ace/";
    String text = "https://huggingface.co/Qdrant/clip-ViT-B-32-text/resolve/48ca1db27cb4063eb311ec2aa7f087a808112876/";
    return new ModelSpec("clip-vit-b32", "clip", 1, "OpenAI CLIP ViT-B/32 (ONNX export by Qdrant), image and text",
        "https://huggingface.co/Qdrant/clip-ViT-B-32-vision", "MIT", 512,
        new ImageEncoderSpec(
            new ModelFile("vision.onnx", vision + "model.onnx",
                "c68d3d9a200ddd2a8c8a5510b576d4c94d1ae383bf8b36dd8c084f94e1fb4d63", 351_686_194L),
            "pixel_values", FeatureSource.GRAPH_OUTPUT, "image_embeds",
            // OpenAI CLIP's clip.py _transform: Resize(224, BICUBIC), CenterCrop(224), RGB, ToTensor, Normalize.
            new ImagePreprocessing(Resize.SHORTER_SIDE, 224, 224, Resampling.PILLOW_BICUBIC,
                ImagePreprocessing.CLIP_MEAN, ImagePreprocessing.CLIP_STD)),
        new TextEncoderSpec(
            new ModelFile("text.onnx", text + "model.onnx",
                "4dbe762b11e36488304471e439cde89da053ad7acaddbf9e096745d142ec8d8b", 254_102_519L),
            new ModelFile("tokenizer.json", text + "tokenizer.json",
                "b68d571997a1f81bf521fb73806740ddb91e4ed6666cb6e996c066bb289cf55b", 2_224_147L),
            "input_ids", "attention_mask", "text_embeds", 77, 1));
  }

  /** ResNet-50 v1 from the ONNX model zoo: 2048-d global average-pooled features. */
  public static ModelSpec resnet50v1() {
    // Version 2: preprocessing changed from "shorter side 256, Pillow bilinear" to the zoo's validation rule.
    return new ModelSpec("resnet50-v1", "resnet50", 2,
        "ResNet-50 v1 (ImageNet, ONNX model zoo resnet50-v1-12), global average-pooled features",
        "https://github.com/onnx/models/tree/main/validated/vision/classification/resnet", "Apache-2.0", 2048,
        new ImageEncoderSpec(
            new ModelFile("resnet50-v1-12.onnx",
                "https://github.com/onnx/models/raw/4f43949841cb55a0b98dc8fcd045431ccafd9f96/"
                    + "validated/vision/classification/resnet/model/resnet50-v1-12.onnx",
                "3f03fdef724b22947eed826f1eef1dc5c34151bb4c37d634f1db89dfa2dd1526", 102_576_593L),
            "data", FeatureSource.LAST_GLOBAL_AVERAGE_POOL, null,
            // The model zoo's imagenet_validation notebook (which produced its published accuracy): MXNet Gluon
            // Resize(256) (both sides, keep_ratio=False; OpenCV INTER_LINEAR), CenterCrop(224), ToTensor,
            // Normalize(ImageNet mean, std).
            new ImagePreprocessing(Resize.BOTH_SIDES, 256, 224, Resampling.OPENCV_BILINEAR,
                ImagePreprocessing.IMAGENET_MEAN, ImagePreprocessing.IMAGENET_STD)),
        null);
  }

  /** All models, in catalogue order. */
  public List<ModelSpec> models() {
    return models;
  }

  /** The model with this catalogue name. */
  public Optional<ModelSpec> find(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The model named either by catalogue name ({@code clip-vit-b32}) or by descriptor name ({@code clip}). */
  public Optional<ModelSpec> findByNameOrDescriptor(String name) {
    Optional<ModelSpec> byName = find(name);
    return byName.isPresent() ? byName : defaultFor(name);
  }

  /** The default model of a descriptor name. */
  public Optional<ModelSpec> defaultFor(String descriptor) {
    return models.stream().filter(m -> m.descriptor().equals(descriptor)).findFirst();
  }

  /** Descriptor names backed by this catalogue, in catalogue order. */
  public List<String> descriptorNames() {
    return new ArrayList<>(models.stream().map(ModelSpec::descriptor).collect(
        java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
  }
}
