package imgsearch.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * libjpeg-turbo's TurboJPEG C library (Debian package {@code libturbojpeg0}), called through the Foreign
 * Function &amp; Memory API. It decodes a JPEG at 1/1, 1/2, 1/4 or 1/8 of its size by scaling in the DCT
 * domain, so a reduced image costs a fraction of a full decode and never exists at full size.
 *
 * <p>Only the TurboJPEG 2 functions are used ({@code tjInitDecompress}, {@code tjDecompressHeader3},
 * {@code tjDecompress2} ...), which libjpeg-turbo 2.0 and every later version export. One instance per
 * process is enough; it is thread-safe: each image gets a {@link Session}, with a handle of its own (a
 * handle keeps the previous image's size and tables, which a damaged file must never inherit; one costs
 * a few microseconds) and native buffers borrowed from a small pool.
 */
final class TurboJpeg {

  /** Colour spaces {@code tjDecompressHeader3} reports. */
  static final int CS_RGB = 0, CS_YCBCR = 1, CS_GRAY = 2, CS_CMYK = 3, CS_YCCK = 4;

  /** Blue, green, red, pad: one little-endian {@code int} 0xXXRRGGBB per pixel, as TYPE_INT_RGB holds it. */
  private static final int PF_BGRX = 3;
  private static final int PF_RGB = 0;
  /** Refuse progressive JPEGs with more than 500 scans (a denial of service, CVE-2018-11813 style). */
  private static final int FLAG_LIMITSCANS = 32768;
  private static final int ERR_WARNING = 0;

  /** The library's file names, most specific first. */
  private static final String[] LIBRARY_NAMES = {
      "libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "libturbojpeg.dylib", "turbojpeg"};
  /** Native buffers up to this size go back to the pool for the next image; larger ones are freed. */
  private static final long KEEP_BYTES = 16L << 20;
  /** Idle buffer sets kept: more than the threads that decode at once on any ordinary machine. */
  private static final int MAX_IDLE = 32;

  private final String library;
  private final MethodHandle init;
  private final MethodHandle destroy;
  private final MethodHandle header;
  private final MethodHandle decompress;
  private final MethodHandle errorString;
  private final MethodHandle errorCode;
  private final ConcurrentLinkedQueue<Buffers> idle = new ConcurrentLinkedQueue<>();

  private TurboJpeg(String library, SymbolLookup lookup) {
    this.library = library;
    Linker linker = Linker.nativeLinker();
    // C's unsigned long: 64 bits on Linux and macOS, 32 on Windows.
    MemoryLayout cLong = linker.canonicalLayouts().get("long");
    init = linker.downcallHandle(symbol(lookup, "tjInitDecompress"), FunctionDescriptor.of(ADDRESS));
    destroy = linker.downcallHandle(symbol(lookup, "tjDestroy"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    header = withLongSize(linker.downcallHandle(symbol(lookup, "tjDecompressHeader3"),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, cLong, ADDRESS, ADDRESS, ADDRESS, ADDRESS)));
    decompress = withLongSize(linker.downcallHandle(symbol(lookup, "tjDecompress2"),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, cLong, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT)));
    errorString = linker.downcallHandle(symbol(lookup, "tjGetErrorStr2"), FunctionDescriptor.of(ADDRESS, ADDRESS));
    errorCode = linker.downcallHandle(symbol(lookup, "tjGetErrorCode"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
  }

  /**
   * The library when it can be loaded, else empty. {@code -Dimgsearch.turbojpeg=false} pretends it is
   * absent (to measure or test the pure-Java path).
   */
  static Optional<TurboJpeg> load() {
    if ("false".equalsIgnoreCase(System.getProperty("imgsearch.turbojpeg", "true"))) {
      return Optional.empty();
    }
    for (String name : LIBRARY_NAMES) {
      try {
        SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
        return Optional.of(new TurboJpeg(name, lookup));
      } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException
          | IllegalCallerException e) {
        // not installed under this name, too old (a TurboJPEG 2 function missing), or native access denied
      }
    }
    return Optional.empty();
  }

  /** The library's file name, for messages. */
  String library() {
    return library;
  }

  /** What a JPEG header says. */
  record Header(int width, int height, int colourSpace) {}

  /** A decoded image: pixels row by row, {@code width x height}. */
  record Pixels(int width, int height, int[] bgrx, byte[] rgb, String warning) {}

  /**
   * Reads the header of a JPEG held in memory.
   *
   * @return the header, or null when TurboJPEG cannot parse it (the caller then asks ImageIO, which
   *     explains what is wrong in the same words as for every other format)
   */
  Header header(Session d, MemorySegment jpeg, long length) {
    try {
      MemorySegment out = d.buffers.ints;
      int rc = (int) header.invokeExact(d.handle, jpeg, length, out, out.asSlice(4), out.asSlice(8), out.asSlice(12));
      if (rc != 0) {
        return null;
      }
      return new Header(out.get(JAVA_INT, 0), out.get(JAVA_INT, 4), out.get(JAVA_INT, 12));
    } catch (Throwable t) {
      throw new IllegalStateException("calling TurboJPEG failed", t);
    }
  }

  /**
   * Decodes a JPEG (whose header was read with {@code d}) at {@code 1 / reduction} of its size, sides
   * rounded up, as 0xXXRRGGBB ints ({@code rgbBytes} false) or R, G, B bytes.
   *
   * @return the pixels, with the decoder's first warning if it had any; null when decoding failed
   */
  Pixels decode(Session d, MemorySegment jpeg, long length, Header h, int reduction, boolean rgbBytes) {
    int width = scaled(h.width(), reduction);
    int height = scaled(h.height(), reduction);
    int pixelSize = rgbBytes ? 3 : 4;
    long bytes = (long) width * height * pixelSize;
    try (Arena oneShot = Arena.ofConfined()) {
      MemorySegment out = bytes <= KEEP_BYTES ? d.buffers.output(bytes) : oneShot.allocate(bytes, 4);
      int rc = (int) decompress.invokeExact(d.handle, jpeg, length, out, width, width * pixelSize, height,
          rgbBytes ? PF_RGB : PF_BGRX, FLAG_LIMITSCANS);
      String warning = null;
      if (rc != 0) {
        String message = message(d);
        if ((int) errorCode.invokeExact(d.handle) != ERR_WARNING) {
          return null;
        }
        warning = message;
      }
      if (rgbBytes) {
        byte[] rgb = new byte[width * height * 3];
        MemorySegment.copy(out, JAVA_BYTE, 0, rgb, 0, rgb.length);
        return new Pixels(width, height, null, rgb, warning);
      }
      int[] bgrx = new int[width * height];
      MemorySegment.copy(out, JAVA_INT, 0, bgrx, 0, bgrx.length);
      for (int i = 0; i < bgrx.length; i++) {
        bgrx[i] &= 0xFFFFFF; // the pad byte is 0xFF
      }
      return new Pixels(width, height, bgrx, null, warning);
    } catch (Throwable t) {
      throw new IllegalStateException("calling TurboJPEG failed", t);
    }
  }

  /** A side at {@code 1 / reduction}, rounded up, as TurboJPEG's {@code TJSCALED} computes it. */
  static int scaled(int side, int reduction) {
    return (side + reduction - 1) / reduction;
  }

  private String message(Session d) throws Throwable {
    MemorySegment text = (MemorySegment) errorString.invokeExact(d.handle);
    return text.equals(MemorySegment.NULL) ? "unknown error" : text.reinterpret(1024).getString(0);
  }

  /** A session for one image on the calling thread: a new handle, pooled buffers. Close it when done. */
  Session open() {
    Buffers buffers = idle.poll();
    try {
      MemorySegment handle = (MemorySegment) init.invokeExact();
      if (handle.equals(MemorySegment.NULL)) {
        throw new IllegalStateException("TurboJPEG could not create a decompressor (out of memory?)");
      }
      return new Session(handle, buffers != null ? buffers : new Buffers());
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("calling TurboJPEG failed", t);
    }
  }

  /** One image's decompression: a TurboJPEG handle of its own and the pooled native buffers it uses. */
  final class Session implements AutoCloseable {
    final MemorySegment handle;
    final Buffers buffers;

    private Session(MemorySegment handle, Buffers buffers) {
      this.handle = handle;
      this.buffers = buffers;
    }

    /**
     * The encoded image in native memory: in the pooled buffer when it is small enough to keep, else in
     * {@code oneShot}.
     */
    MemorySegment input(byte[] jpeg, Arena oneShot) {
      return buffers.input(jpeg, oneShot);
    }

    @Override
    public void close() {
      try {
        int ignored = (int) destroy.invokeExact(handle);
      } catch (Throwable t) {
        throw new IllegalStateException("calling TurboJPEG failed", t);
      } finally {
        if (idle.size() < MAX_IDLE) {
          idle.offer(buffers);
        }
      }
    }
  }

  /** Native buffers reused from image to image (memory from the automatic arena: freed once unreachable). */
  static final class Buffers {
    /** width, height, subsampling, colour space: tjDecompressHeader3's outputs. */
    final MemorySegment ints = Arena.ofAuto().allocate(JAVA_INT, 4);
    private MemorySegment input = MemorySegment.NULL;
    private MemorySegment output = MemorySegment.NULL;

    MemorySegment input(byte[] jpeg, Arena oneShot) {
      MemorySegment target;
      if (jpeg.length > KEEP_BYTES) {
        target = oneShot.allocate(jpeg.length);
      } else {
        if (input.byteSize() < jpeg.length) {
          input = Arena.ofAuto().allocate(Math.max(jpeg.length, 256 << 10));
        }
        target = input;
      }
      MemorySegment.copy(jpeg, 0, target, JAVA_BYTE, 0, jpeg.length);
      return target;
    }

    private MemorySegment output(long bytes) {
      if (output.byteSize() < bytes) {
        output = Arena.ofAuto().allocate(Math.max(bytes, 1 << 20), 4);
      }
      return output;
    }
  }

  private static MemorySegment symbol(SymbolLookup lookup, String name) {
    return lookup.find(name).orElseThrow(() -> new IllegalStateException("the TurboJPEG library has no " + name));
  }

  /** Lets callers pass the C {@code long} size as a Java long whatever its native width. */
  private static MethodHandle withLongSize(MethodHandle handle) {
    MethodType type = handle.type();
    return MethodHandles.explicitCastArguments(handle, type.changeParameterType(2, long.class));
  }
}
