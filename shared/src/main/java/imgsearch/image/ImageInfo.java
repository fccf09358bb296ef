package imgsearch.image;

/**
 * What an image header says, read without decoding any pixels (see {@link ImageDecoder#probe}).
 *
 * @param format the detected container format, lower case: jpeg, png, gif, bmp, webp
 * @param width width in pixels as stored, before any EXIF orientation is applied
 * @param height height in pixels as stored, before any EXIF orientation is applied
 */
public record ImageInfo(String format, int width, int height) {

  /** Width times height, as a long so that absurd headers do not overflow. */
  public long pixels() {
    return (long) width * height;
  }
}
