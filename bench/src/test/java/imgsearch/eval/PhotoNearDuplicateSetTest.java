package imgsearch.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.eval.PhotoNearDuplicateSet.Item;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoNearDuplicateSetTest {

  @TempDir Path tmp;

  /** A small /usr/share: Plasma wallpapers with a portrait cut and symlinked sizes, single photos, a blank overlay. */
  private Path share() throws IOException {
    Path share = tmp.resolve("share");
    if (Files.isDirectory(share)) {
      return share;
    }
    for (int i = 0; i < 6; i++) {
      Path images = Files.createDirectories(share.resolve("wallpapers/Wall" + i + "/contents/images"));
      TestImages.write(images, "1600x1000.jpg", TestImages.jpeg(TestImages.photoLike(i, 640, 400), 0.9f));
      TestImages.write(images, "1000x1600.jpg", TestImages.jpeg(TestImages.photoLike(50 + i, 400, 640), 0.9f));
      Files.createSymbolicLink(images.resolve("1280x800.jpg"), images.resolve("1600x1000.jpg"));
      TestImages.write(images.getParent(), "screenshot.jpg", TestImages.jpeg(TestImages.photoLike(i, 200, 120), 0.9f));
    }
    Path backgrounds = Files.createDirectories(share.resolve("backgrounds"));
    for (int i = 0; i < 12; i++) {
      TestImages.write(backgrounds, "photo" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(100 + i, 640, 420), 0.9f));
    }
    TestImages.write(backgrounds, "overlay.png", TestImages.png(TestImages.solid(640, 420, 0xFFFFFF)));
    Path gnome = Files.createDirectories(backgrounds.resolve("gnome"));
    TestImages.write(gnome, "wood-l.png", TestImages.png(TestImages.photoLike(200, 640, 420)));
    TestImages.write(gnome, "wood-d.png", TestImages.png(TestImages.photoLike(201, 640, 420)));
    return share;
  }

  @Test
  void picturesAreGroupedWithTheirVersions() throws IOException {
    Map<String, PhotoSources.Picture> pictures = PhotoSources.find(share()).stream()
        .collect(Collectors.toMap(PhotoSources.Picture::id, p -> p));
    // the symlinked size is the same file, the screenshot a preview
    assertEquals(2, pictures.get("plasma/Wall3").versions().size());
    assertTrue(pictures.containsKey("gnome/wood"));
    assertFalse(pictures.containsKey("gnome/wood-d"), "dark renderings are left out");
    assertEquals(6 + 12 + 1 + 1, pictures.size());
  }

  @Test
  void buildsASplitSetWithOneRightAnswerPerQuery() throws IOException {
    Path dir = tmp.resolve("set");
    PhotoNearDuplicateSet set = PhotoNearDuplicateSet.build(share(), dir, 7, m -> {});
    Set<String> dbFiles = set.database().stream().map(Item::file).collect(Collectors.toSet());
    assertFalse(set.database().stream().anyMatch(i -> i.picture().equals("backgrounds/overlay")), "blank pictures are left out");
    List<Item> originals = set.database().stream().filter(i -> i.role().equals(PhotoNearDuplicateSet.ORIGINAL)).toList();
    assertTrue(originals.size() >= 6, "every picture with another cut is an original");
    for (Item q : set.queries()) {
      assertTrue(dbFiles.contains(q.original()), q.file());
      Item original = set.database().stream().filter(i -> i.file().equals(q.original())).findFirst().orElseThrow();
      assertEquals(original.picture(), q.picture());
      assertEquals(original.part(), q.part());
      assertTrue(Files.isRegularFile(set.path(q)), q.file());
    }
    // a picture's other version is a query, never a second right answer in the database
    assertEquals(6, set.queries().stream().filter(q -> q.edit().equals(PhotoEdit.OTHER_VERSION.id())).count());
    assertEquals(originals.size(), set.queries().stream().filter(q -> q.edit().equals(PhotoEdit.GREY.id())).count());
    assertEquals(Set.of(PhotoNearDuplicateSet.TUNE, PhotoNearDuplicateSet.HELD_OUT),
        originals.stream().map(Item::part).collect(Collectors.toSet()));
    for (Item d : set.database()) {
      if (d.role().equals(PhotoNearDuplicateSet.DISTRACTOR)) {
        assertNull(d.part());
      }
    }
    // the folder holds what the manifest says, and loads back the same
    assertEquals(set.items(), PhotoNearDuplicateSet.load(dir).items());
    assertFalse(Files.exists(tmp.resolve("set.building")));
    // the same seed reuses it; the split does not depend on the seed
    assertEquals(set.items(), PhotoNearDuplicateSet.loadOrBuild(dir, share(), 7, m -> {}).items());
    assertEquals(PhotoNearDuplicateSet.partOf("plasma/Wall3"), PhotoNearDuplicateSet.partOf("plasma/Wall3"));
  }

  @Test
  void tooFewPicturesSayWhichPackagesToInstall() {
    IOException e = assertThrows(IOException.class,
        () -> PhotoNearDuplicateSet.build(tmp.resolve("empty"), tmp.resolve("set"), 1, m -> {}));
    assertTrue(e.getMessage().contains("apt-get install plasma-workspace-wallpapers"), e.getMessage());
  }
}
