package imgsearch.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgsearch.search.ImageSearcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassicDescriptorsTest {

  @Test
  void registersTheClassicDescriptors() {
    DescriptorRegistry registry = ClassicDescriptors.registry();
    assertEquals(List.of("pixels", "hsv-hist", "edge-colour", "phash"), registry.names());
    assertEquals(registry.names(), ClassicDescriptors.names());
    assertNotSame(registry, ClassicDescriptors.registry());
    for (String name : ClassicDescriptors.names()) {
      Descriptor d = registry.create(name);
      assertEquals(name, d.name());
      assertTrue(d.dimension() > 0);
      assertTrue(!registry.description(name).isBlank());
      // a stored spec finds the same descriptor again
      assertEquals(d.spec(), registry.forSpec(d.spec()).orElseThrow().spec());
    }
    assertEquals(150_528, registry.create("pixels").dimension());
    assertEquals(3 * 448 * 448, registry.create("pixels", "size=448").dimension());
    assertEquals(1440, registry.create("hsv-hist").dimension());
    assertEquals(144, registry.create("edge-colour").dimension());
    assertEquals(64, registry.create("phash").dimension());
  }

  @Test
  void badConfigsFailWithTheirReason() {
    DescriptorRegistry registry = ClassicDescriptors.registry();
    var e = assertThrows(IllegalArgumentException.class, () -> registry.create("pixels", "size=-1"));
    assertTrue(e.getMessage().contains("pixels size"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> registry.create("hsv-hist", "bins=3"));
    assertThrows(IllegalArgumentException.class, () -> registry.create("edge-colour", "x=1"));
    assertThrows(IllegalArgumentException.class, () -> registry.create("phash", "bits=32"));
  }

  @Test
  void changedSpecIsNotCompatible() {
    DescriptorRegistry registry = ClassicDescriptors.registry();
    DescriptorSpec current = registry.create("edge-colour").spec();
    DescriptorSpec older = new DescriptorSpec(current.name(), current.version() - 1, current.config(),
        current.dimension(), current.metrics());
    assertTrue(registry.forSpec(older).isEmpty(), "vectors of an older version must be re-described");
  }

  @Test
  void robustDescriptorIsPreferredOverTheBaselines() {
    List<String> order = ImageSearcher.PREFERENCE;
    assertTrue(order.indexOf("edge-colour") >= 0);
    assertTrue(order.indexOf("edge-colour") < order.indexOf("hsv-hist"));
    assertTrue(order.indexOf("hsv-hist") < order.indexOf("pixels"));
  }
}
