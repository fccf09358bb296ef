package imgsearch.eval;

import imgsearch.image.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real pictures that Debian packages install under {@code /usr/share}, grouped into pictures with all
 * their published versions (a Plasma wallpaper ships in a dozen resolutions and several aspect ratios,
 * a MATE or sway one in a few; a desktop-base theme has a 4:3 and a 16:9 cut).
 *
 * <p>Sources, by package: plasma-workspace-wallpapers ({@code /usr/share/wallpapers}), mate-backgrounds,
 * gnome-backgrounds, sway-backgrounds, lomiri-wallpapers(-16.04, -20.04), ukui-wallpapers (all under
 * {@code /usr/share/backgrounds}), desktop-base ({@code /usr/share/desktop-base}) and opencv-doc (the
 * sample photos of {@code /usr/share/doc/opencv-doc/examples/data}). Missing folders are skipped. The
 * OpenCV samples serve as distractors only: several of them are other shots of one scene (two exposures,
 * stereo pairs, video frames), which look alike without being the same picture.
 */
public final class PhotoSources {

  /**
   * One picture.
   *
   * @param id stable name, e.g. {@code plasma/Autumn}
   * @param versions its published files, sorted by path
   * @param distractorOnly true for pictures never used as originals
   */
  public record Picture(String id, List<Path> versions, boolean distractorOnly) {
    public Picture {
      versions = List.copyOf(versions);
    }
  }

  /** The Debian packages the pictures come from, for messages and docs. */
  public static final List<String> PACKAGES = List.of("plasma-workspace-wallpapers", "mate-backgrounds",
      "gnome-backgrounds", "sway-backgrounds", "lomiri-wallpapers", "lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04",
      "ukui-wallpapers", "desktop-base", "opencv-doc");

  private static final Pattern SIZE_SUFFIX = Pattern.compile("(?i)(_\\d+x\\d+)?(_portrait)?$");

  private PhotoSources() {}

  /** Every picture found under {@code root} (normally {@code /usr/share}), sorted by id. */
  public static List<Picture> find(Path root) {
    Map<String, Picture> out = new TreeMap<>();
    Set<Path> seen = new HashSet<>();
    // Plasma: one folder per picture, versions in contents/images (screenshot.* is a preview, not a version)
    for (Path folder : list(root.resolve("wallpapers"))) {
      add(out, seen, "plasma/" + folder.getFileName(), images(folder.resolve("contents/images")), false);
    }
    Path backgrounds = root.resolve("backgrounds");
    // lomiri, ukui: one file per picture at the top level
    for (Path f : images(backgrounds)) {
      add(out, seen, "backgrounds/" + stem(f), List.of(f), false);
    }
    // MATE and sway: versions differ by a _WxH or _Portrait suffix
    for (Path dir : List.of(backgrounds.resolve("mate/nature"), backgrounds.resolve("mate/abstract"),
        backgrounds.resolve("mate/desktop"), backgrounds.resolve("sway"))) {
      Map<String, List<Path>> groups = new LinkedHashMap<>();
      for (Path f : images(dir)) {
        String base = SIZE_SUFFIX.matcher(stem(f)).replaceFirst("");
        groups.computeIfAbsent(base, k -> new ArrayList<>()).add(f);
      }
      String prefix = root.relativize(dir).toString().replace("backgrounds/", "");
      groups.forEach((base, files) -> add(out, seen, prefix + "/" + base, files, false));
    }
    // GNOME: light and dark renderings of one design are different pictures; keep the light ones
    for (Path f : images(backgrounds.resolve("gnome"))) {
      if (!stem(f).endsWith("-d")) {
        add(out, seen, "gnome/" + stem(f).replaceFirst("-l$", ""), List.of(f), false);
      }
    }
    // desktop-base: each theme's boot screen in a 4:3 and a 16:9 cut
    for (Path link : list(root.resolve("desktop-base"))) {
      Path theme = realPath(link);
      List<Path> grub = images(theme.resolve("grub")).stream()
          .filter(f -> f.getFileName().toString().startsWith("grub-")).toList();
      add(out, seen, "desktop-base/" + theme.getFileName().toString().replaceFirst("-theme$", ""), grub, false);
    }
    for (Path f : images(root.resolve("doc/opencv-doc/examples/data"))) {
      add(out, seen, "opencv/" + stem(f), List.of(f), true);
    }
    return List.copyOf(out.values());
  }

  private static void add(Map<String, Picture> out, Set<Path> seen, String id, List<Path> files, boolean distractorOnly) {
    List<Path> fresh = new ArrayList<>();
    for (Path f : files) {
      try {
        // the same file reached through a symlink (desktop-base's active-theme) counts once
        if (seen.add(f.toRealPath())) {
          fresh.add(f);
        }
      } catch (IOException e) {
        // a dangling link: not a version
      }
    }
    if (!fresh.isEmpty() && !out.containsKey(id)) {
      fresh.sort(null);
      out.put(id, new Picture(id, fresh, distractorOnly));
    }
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Raster image files directly in {@code dir} (SVG and XML are not rasters), sorted. */
  private static List<Path> images(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(ImageFiles::hasImageExtension)
          .filter(f -> !f.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("screenshot")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stem(Path f) {
    String name = f.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
