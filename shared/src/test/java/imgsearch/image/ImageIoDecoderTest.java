package imgsearch.image;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Every test of {@link ImageDecoderTest} on the path of machines without libjpeg-turbo: ImageIO only. */
class ImageIoDecoderTest extends ImageDecoderTest {

  @Override
  protected ImageDecoder configure(ImageDecoder plain) {
    return plain.withoutTurboJpeg();
  }

  @Test
  void thisIsThePureJavaPath() {
    assertFalse(decoder.usesTurboJpeg());
  }
}
