package imgsearch.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An indexed deep descriptor whose model loaded, as {@code /api/health} reports it.
 *
 * @param descriptor descriptor name, e.g. {@code clip}
 * @param model catalogue name, e.g. {@code clip-vit-b32}
 * @param executionProvider the ONNX Runtime execution provider the image encoder runs on: {@code CUDA} or
 *     {@code CPU}
 * @param note why it is not CUDA (not in this build, could not start, {@code --device cpu}), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadedModel(String descriptor, String model, String executionProvider, String note) {}
