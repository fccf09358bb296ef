package imgsearch.model;

import imgsearch.file.AtomicFiles;
import imgsearch.file.ByteSizes;
import imgsearch.file.Sha256;
import imgsearch.model.ModelUnavailableException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the files of catalogued models on disk, downloading them when needed.
 *
 * <p>Without a model folder, files live in {@code <cacheDir>/<model>/<file>}. A missing file is
 * downloaded from its published URL (or {@code <mirror>/<model>/<file>}) into {@code <file>.part},
 * resumed with an HTTP range request after an interruption, checked against its published SHA-256 and
 * only then renamed into place. With a model folder ({@code --model-dir}) nothing is downloaded: files
 * are read from {@code <modelDir>/<model>/<file>} or {@code <modelDir>/<file>} and identified by their
 * own SHA-256 (a file that differs from the published one is used as given, with a warning; the
 * descriptors record its checksum, so vectors of different weights are never mixed).
 *
 * <p>Hashing a few hundred megabytes takes a second or two, so a verified file's checksum is
 * remembered (by path, size and modification time) under {@code <cacheDir>/.verified}.
 */
public final class ModelStore {

  /**
   * The logger, set up on first use: every command that may describe builds a store, and setting up
   * SLF4J cost each start about 30 ms (BENCHMARKS.md) although a store seldom has anything to say.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
  }
  private static final int BUFFER = 1 << 16;
  private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
  /** A transfer that delivers nothing for this long is broken off (and resumed by the next attempt). */
  private static final int READ_TIMEOUT_MILLIS = 60_000;

  /** A model file on disk and its SHA-256. */
  public record LocalFile(Path path, String sha256) {}

  /** Where a file stands, for {@code imgsearch models}. */
  public enum State {
    /** Downloaded and verified in the cache. */
    CACHED,
    /** An interrupted download that the next attempt resumes. */
    PARTIAL,
    /** Not downloaded yet. */
    MISSING,
    /** Present in the model folder. */
    LOCAL,
    /** Absent from the model folder. */
    LOCAL_MISSING
  }

  /**
   * One file's state.
   *
   * @param path where the file is or would be
   * @param bytesOnDisk bytes present (of the file or of its partial download)
   */
  public record FileStatus(ModelSpec model, ModelFile file, State state, Path path, long bytesOnDisk) {}

  private final ModelOptions options;
  private final Map<Path, Object> locks = new ConcurrentHashMap<>();

  public ModelStore(ModelOptions options) {
    this.options = options;
  }

  public ModelOptions options() {
    return options;
  }

  /**
   * The file on disk, downloading it first when it is neither cached nor in the model folder.
   *
   * @throws ModelUnavailableException when it cannot be had
   */
  public LocalFile resolve(ModelSpec model, ModelFile file) {
    LocalFile local = locate(model, file);
    warnIfNotPublished(model, file, local);
    return local;
  }

  /**
   * As {@link #resolve}, without the warning about a model folder's file that is not the published
   * one: for callers that load the file first, so that a file which then fails to load is reported
   * once, by the failure, and not also by a warning that it is "used as given".
   */
  public LocalFile locate(ModelSpec model, ModelFile file) {
    if (options.modelDir() != null) {
      return fromModelDir(model, file);
    }
    Path target = cachePath(model, file);
    synchronized (locks.computeIfAbsent(target, p -> new Object())) {
      try {
        Files.createDirectories(target.getParent());
      } catch (IOException e) {
        throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(),
            "cannot create the model cache " + target.getParent() + " (" + e.getMessage()
                + "); choose another with --model-cache DIR.", e);
      }
      Path lockFile = target.resolveSibling(file.name() + ".lock");
      // The file lock keeps two imgsearch processes from downloading into the same part file.
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          Optional<LocalFile> cached = verifiedCached(model, file, target);
          if (cached.isPresent()) {
            return cached.get();
          }
          download(model, file, target);
          return new LocalFile(target, file.sha256());
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(),
            "cannot use the model cache " + target.getParent() + " (" + e.getMessage()
                + "); choose another with --model-cache DIR.", e);
      }
    }
  }

  /**
   * The SHA-256 {@link #resolve} will find for this file, without downloading: the published one,
   * unless a model folder holds a different file (then that file's, hashed once and remembered).
   */
  public String identify(ModelSpec model, ModelFile file) {
    if (options.modelDir() == null) {
      return file.sha256(); // a cached or downloaded file is only ever used once it matches
    }
    Optional<Path> local = findInModelDir(model, file);
    if (local.isEmpty()) {
      return file.sha256(); // resolve will say it is missing
    }
    try {
      return sha256(local.get());
    } catch (IOException e) {
      return file.sha256(); // resolve will say it cannot be read
    }
  }

  /** Downloads (or checks) every file of a model. */
  public List<LocalFile> pull(ModelSpec model) {
    List<LocalFile> files = new ArrayList<>();
    for (ModelFile f : model.files()) {
      files.add(resolve(model, f));
    }
    return files;
  }

  /** The state of every file of a model, without downloading or hashing anything. */
  public List<FileStatus> status(ModelSpec model) {
    List<FileStatus> result = new ArrayList<>();
    for (ModelFile f : model.files()) {
      if (options.modelDir() != null) {
        Optional<Path> local = findInModelDir(model, f);
        result.add(local.isPresent()
            ? new FileStatus(model, f, State.LOCAL, local.get(), sizeOrZero(local.get()))
            : new FileStatus(model, f, State.LOCAL_MISSING, options.modelDir().resolve(model.name()).resolve(f.name()), 0));
        continue;
      }
      Path target = cachePath(model, f);
      Path part = partPath(target);
      if (Files.isRegularFile(target) && sizeOrZero(target) == f.size()) {
        result.add(new FileStatus(model, f, State.CACHED, target, f.size()));
      } else if (Files.isRegularFile(part)) {
        result.add(new FileStatus(model, f, State.PARTIAL, target, sizeOrZero(part)));
      } else {
        result.add(new FileStatus(model, f, State.MISSING, target, 0));
      }
    }
    return result;
  }

  /** Where the cache keeps a file. */
  public Path cachePath(ModelSpec model, ModelFile file) {
    return options.cacheDir().resolve(model.name()).resolve(file.name());
  }

  /** The URL a file is downloaded from under these options. */
  public URI downloadUri(ModelSpec model, ModelFile file) {
    if (options.mirror() == null) {
      return URI.create(file.url());
    }
    String base = options.mirror().toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + model.name() + "/" + file.name());
  }

  /** SHA-256 of a file, remembered by path, size and modification time. */
  public String sha256(Path file) throws IOException {
    Path marker = markerPath(file);
    long size = Files.size(file);
    long modified = Files.getLastModifiedTime(file).toMillis();
    String wanted = size + " " + modified + " ";
    try {
      if (Files.isRegularFile(marker)) {
        String line = Files.readString(marker, StandardCharsets.UTF_8).trim();
        if (line.startsWith(wanted) && line.length() >= wanted.length() + 64) {
          return line.substring(wanted.length(), wanted.length() + 64);
        }
      }
    } catch (IOException unreadable) {
      // recompute below
    }
    String sha = Sha256.hex(file);
    remember(file, sha);
    return sha;
  }

  private LocalFile fromModelDir(ModelSpec model, ModelFile file) {
    Path dir = options.modelDir();
    Path path = findInModelDir(model, file).orElseThrow(() -> new ModelUnavailableException(Reason.MISSING_FILE,
        model.name(), String.format(Locale.ROOT,
            "%s is not in the model folder %s. Download it from %s (%s, SHA-256 %s) and save it as %s.",
            file.name(), dir, file.url(), ByteSizes.decimal(file.size()), file.sha256(),
            dir.resolve(model.name()).resolve(file.name()))));
    String sha;
    try {
      sha = sha256(path);
    } catch (IOException e) {
      throw new ModelUnavailableException(Reason.MISSING_FILE, model.name(),
          "cannot read " + path + " (" + e.getMessage() + ").", e);
    }
    return new LocalFile(path, sha);
  }

  /** Whether a located file is the published one (a model folder may hold other weights). */
  public static boolean isPublished(ModelFile file, LocalFile local) {
    return file.sha256().equals(local.sha256());
  }

  /** Logs a warning when a model folder's file is used although it is not the published one. */
  public void warnIfNotPublished(ModelSpec model, ModelFile file, LocalFile local) {
    if (!isPublished(file, local)) {
      Log.LOG.warn("{} is not the published {} of {} (SHA-256 {} instead of {}); using it as given.", local.path(),
          file.name(), model.name(), local.sha256(), file.sha256());
    }
  }

  private Optional<Path> findInModelDir(ModelSpec model, ModelFile file) {
    Path dir = options.modelDir();
    for (Path candidate : List.of(dir.resolve(model.name()).resolve(file.name()), dir.resolve(file.name()))) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The cached file when it is complete and matches its checksum; a damaged one is deleted. */
  private Optional<LocalFile> verifiedCached(ModelSpec model, ModelFile file, Path target) throws IOException {
    if (!Files.isRegularFile(target)) {
      return Optional.empty();
    }
    String sha = Files.size(target) == file.size() ? sha256(target) : null;
    if (file.sha256().equals(sha)) {
      return Optional.of(new LocalFile(target, sha));
    }
    Log.LOG.warn("cached {} of {} is damaged (size {} bytes, SHA-256 {}); downloading it again.", file.name(),
        model.name(), Files.size(target), sha == null ? "not computed" : sha);
    Files.delete(target);
    return Optional.empty();
  }

  private void download(ModelSpec model, ModelFile file, Path target) {
    URI uri = downloadUri(model, file);
    String label = model.name() + "/" + file.name();
    Path part = partPath(target);
    try {
      // A server that cannot satisfy our range (the part is complete but failed to verify, or the file
      // changed) gets one fresh attempt from byte 0.
      for (int attempt = 0; ; attempt++) {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (have > file.size()) {
          Files.delete(part);
          have = 0;
        }
        HttpURLConnection connection = open(uri, have, model, file);
        try {
          int status = responseCode(connection, model, file, uri);
          if (status == 416 && attempt == 0) {
            Files.deleteIfExists(part);
            continue;
          }
          boolean append = status == 206 && rangeStartsAt(connection.getHeaderField("Content-Range"), have);
          if (status != 200 && !append) {
            throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(), String.format(Locale.ROOT,
                "downloading %s from %s failed: HTTP %d.", file.name(), uri, status));
          }
          if (!append) {
            have = 0;
          }
          MessageDigest md = Sha256.newDigest();
          if (append) {
            Sha256.update(md, part);
          }
          options.downloads().started(label, file.size(), have);
          long announced = connection.getContentLengthLong();
          long onDisk = copy(connection, part, append, have, md, label, model, file, uri);
          if (announced >= 0 && onDisk - have < announced) {
            // The connection closed before the announced length: keep the part for the next attempt.
            throw broken(new EOFException("connection closed early"), label, onDisk, model, file, uri);
          }
          String sha = HexFormat.of().formatHex(md.digest());
          if (!sha.equals(file.sha256())) {
            Files.deleteIfExists(part);
            options.downloads().finished(label, false);
            throw new ModelUnavailableException(Reason.CHECKSUM, model.name(), String.format(Locale.ROOT,
                "the download of %s from %s does not match its published checksum (got %d bytes with SHA-256 %s,"
                    + " expected %d bytes with SHA-256 %s); it was deleted.",
                file.name(), uri, onDisk, sha, file.size(), file.sha256()));
          }
          AtomicFiles.move(part, target);
          remember(target, sha);
          options.downloads().finished(label, true);
          return;
        } finally {
          connection.disconnect();
        }
      }
    } catch (IOException e) {
      throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(),
          "cannot write " + part + " (" + e.getMessage() + ").", e);
    }
  }

  private static HttpURLConnection open(URI uri, long from, ModelSpec model, ModelFile file) {
    try {
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IOException("not an http(s) URL");
      }
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
      c.setReadTimeout(READ_TIMEOUT_MILLIS);
      c.setInstanceFollowRedirects(true);
      c.setRequestProperty("User-Agent", "imgsearch");
      if (from > 0) {
        c.setRequestProperty("Range", "bytes=" + from + "-");
      }
      return c;
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(), String.format(Locale.ROOT,
          "cannot download %s from %s (%s).", file.name(), uri, describe(e)), e);
    }
  }

  private static int responseCode(HttpURLConnection c, ModelSpec model, ModelFile file, URI uri) {
    try {
      int status = c.getResponseCode();
      if (status >= 400) {
        InputStream error = c.getErrorStream();
        if (error != null) {
          error.close();
        }
      }
      return status;
    } catch (ConnectException | UnknownHostException | SocketTimeoutException | NoRouteToHostException e) {
      throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(), String.format(Locale.ROOT,
          "cannot download %s from %s (%s); is there a network connection?", file.name(), uri, describe(e)), e);
    } catch (IOException e) {
      throw new ModelUnavailableException(Reason.DOWNLOAD, model.name(), String.format(Locale.ROOT,
          "cannot download %s from %s (%s).", file.name(), uri, describe(e)), e);
    }
  }

  /** Streams the body into the part file; returns the part's size afterwards. */
  private long copy(HttpURLConnection connection, Path part, boolean append, long have, MessageDigest md,
      String label, ModelSpec model, ModelFile file, URI uri) throws IOException {
    long onDisk = have;
    try (InputStream in = body(connection, label, onDisk, model, file, uri);
        OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = readFromNetwork(in, buffer, label, onDisk, model, file, uri)) > 0; ) {
        out.write(buffer, 0, n);
        md.update(buffer, 0, n);
        onDisk += n;
        options.downloads().progressed(label, onDisk);
      }
    }
    return onDisk;
  }

  private InputStream body(HttpURLConnection connection, String label, long onDisk, ModelSpec model, ModelFile file,
      URI uri) {
    try {
      return connection.getInputStream();
    } catch (IOException e) {
      throw broken(e, label, onDisk, model, file, uri);
    }
  }

  private int readFromNetwork(InputStream in, byte[] buffer, String label, long onDisk, ModelSpec model,
      ModelFile file, URI uri) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw broken(e, label, onDisk, model, file, uri);
    }
  }

  private ModelUnavailableException broken(IOException e, String label, long onDisk, ModelSpec model, ModelFile file,
      URI uri) {
    options.downloads().finished(label, false);
    return new ModelUnavailableException(Reason.DOWNLOAD, model.name(), String.format(Locale.ROOT,
        "the download of %s from %s broke off after %s of %s (%s); run the command again to resume it.",
        file.name(), uri, ByteSizes.decimal(onDisk), ByteSizes.decimal(file.size()), describe(e)), e);
  }

  private static boolean rangeStartsAt(String contentRange, long have) {
    // Content-Range: bytes 1000-1999/2000
    return contentRange != null && contentRange.trim().toLowerCase(Locale.ROOT).startsWith("bytes " + have + "-");
  }

  private void remember(Path file, String sha) {
    try {
      Path marker = markerPath(file);
      Files.createDirectories(marker.getParent());
      String line = Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis() + " " + sha + " " + file
          + "\n";
      AtomicFiles.replaceConcurrently(marker, tmp -> Files.writeString(tmp, line, StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException e) {
      Log.LOG.debug("cannot remember the checksum of {}: {}", file, e.toString());
    }
  }

  private Path markerPath(Path file) {
    return options.cacheDir().resolve(".verified").resolve(Sha256.shortHex(file.toAbsolutePath().normalize().toString(), 16));
  }

  private static Path partPath(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  private static long sizeOrZero(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
