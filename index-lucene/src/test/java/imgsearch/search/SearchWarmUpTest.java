package imgsearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imgsearch.descriptor.ClassicDescriptors;
import imgsearch.descriptor.Descriptor;
import imgsearch.descriptor.DescriptorRegistry;
import imgsearch.image.ImageDecoder;
import imgsearch.index.ImageIndex;
import imgsearch.index.IndexListener;
import imgsearch.index.Indexer;
import imgsearch.index.VectorQuery;
import imgsearch.index.lucene.LuceneImageIndex;
import imgsearch.testing.TestImages;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Here because it searches a Lucene index, as a server does. */
class SearchWarmUpTest {

  @TempDir Path tmp;

  @Test
  void searchesEveryDescriptorAndMetricEnoughTimesToScoreTheCandidatesItAimsFor() throws IOException {
    try (ImageIndex index = photos(6)) {
      List<String> searched = new ArrayList<>();
      ImageSearcher searcher = new ImageSearcher(index, ClassicDescriptors.registry());
      SearchWarmUp warmUp = new SearchWarmUp(new ImageSearcher(watched(index, searched), ClassicDescriptors.registry()));

      // pixels (4 metrics), hsv-hist (2), edge-colour (1); 6 images are too few for 2,000 candidates: the most rounds
      assertEquals(7 * SearchWarmUp.MAX_ROUNDS, warmUp.run());
      List<String> all = searcher.searchableDescriptors().stream()
          .flatMap(d -> d.metrics().stream().map(m -> d.name() + "/" + m.id())).sorted().toList();
      assertEquals(7, all.size(), all.toString());
      assertEquals(all, searched.stream().distinct().sorted().toList());
    }
  }

  @Test
  void aCollectionLargeEnoughIsSearchedOncePerMetric() {
    // ceil(2,000 / images) rounds, at least 1, at most 20
    assertEquals(List.of(20, 20, 2, 1, 1), List.of(SearchWarmUp.rounds(3), SearchWarmUp.rounds(100),
        SearchWarmUp.rounds(1_526), SearchWarmUp.rounds(2_000), SearchWarmUp.rounds(1_000_000)));
  }

  @Test
  void anEmptyIndexOrACancelledWarmUpSearchesNothing() throws IOException {
    try (ImageIndex empty = LuceneImageIndex.open(tmp.resolve("empty"))) {
      empty.commit();
      assertEquals(0, new SearchWarmUp(new ImageSearcher(empty, ClassicDescriptors.registry())).run());
    }
    try (ImageIndex index = photos(2)) {
      SearchWarmUp warmUp = new SearchWarmUp(new ImageSearcher(index, ClassicDescriptors.registry()));
      warmUp.cancel();
      assertEquals(0, warmUp.run());
    }
  }

  /** An index of {@code n} generated photos described by the default descriptors. */
  private ImageIndex photos(int n) throws IOException {
    Path photos = Files.createDirectories(tmp.resolve("photos-" + n));
    for (int i = 0; i < n; i++) {
      Files.write(photos.resolve("photo-" + i + ".jpg"), TestImages.jpeg(TestImages.photoLike(i, 160, 120), 0.9f));
    }
    LuceneImageIndex index = LuceneImageIndex.open(tmp.resolve("index-" + n));
    DescriptorRegistry registry = ClassicDescriptors.registry();
    List<Descriptor> descriptors = ClassicDescriptors.defaults().stream().map(registry::create).toList();
    new Indexer(index, new ImageDecoder(), descriptors, 2).index(photos, IndexListener.NONE);
    return index;
  }

  /** {@code index}, noting "descriptor/metric" of every search made through it. */
  private static ImageIndex watched(ImageIndex index, List<String> searched) {
    return (ImageIndex) Proxy.newProxyInstance(ImageIndex.class.getClassLoader(), new Class<?>[] {ImageIndex.class},
        (proxy, method, args) -> {
          if (method.getName().equals("search")) {
            VectorQuery q = (VectorQuery) args[0];
            searched.add(q.spec().name() + "/" + q.metric().id());
          }
          try {
            return method.invoke(index, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
