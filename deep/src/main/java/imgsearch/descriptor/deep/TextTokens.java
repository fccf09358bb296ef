package imgsearch.descriptor.deep;

import java.util.Arrays;

/**
 * Token ids fitted to a text encoder's fixed context, the way CLIP's reference {@code tokenize(...,
 * truncate=True)} does: a text longer than the context is cut and its last position is given back to
 * the end-of-text token; a shorter one is padded, and the mask marks the real tokens.
 *
 * @param ids token ids, {@code context} of them
 * @param mask 1 for real tokens, 0 for padding
 */
record TextTokens(long[] ids, long[] mask) {

  /**
   * Fits {@code encoded} (the tokenizer's ids with the start and end tokens already added) to
   * {@code context} positions.
   */
  static TextTokens fit(long[] encoded, int context, long padId) {
    long[] ids = new long[context];
    long[] mask = new long[context];
    Arrays.fill(ids, padId);
    int n = Math.min(encoded.length, context);
    System.arraycopy(encoded, 0, ids, 0, n);
    if (encoded.length > context) {
      ids[context - 1] = encoded[encoded.length - 1];
    }
    Arrays.fill(mask, 0, n, 1L);
    return new TextTokens(ids, mask);
  }
}
