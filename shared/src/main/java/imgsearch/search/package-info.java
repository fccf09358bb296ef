/**
 * Search by example, by indexed image or by words. The whole flow on one page: index a folder of photos
 * ({@code photos}; incrementally: a second run only looks at what changed) into {@code indexDir}, then find
 * the photos most like {@code photo}.
 *
 * {@snippet :
 * try (ImageIndex index = LuceneImageIndex.open(indexDir)) {
 *   DescriptorRegistry registry = ClassicDescriptors.registry();
 *   List<Descriptor> descriptors = ClassicDescriptors.defaults().stream().map(registry::create).toList();
 *   IndexSummary summary = new Indexer(index, new ImageDecoder(), descriptors, 2).index(photos, IndexListener.NONE);
 *   System.out.println(summary.indexed() + " indexed, " + summary.failed().size() + " failed");
 *
 *   ImageSearcher searcher = new ImageSearcher(index, registry);
 *   SearchOptions options = SearchOptions.defaults().withK(5);
 *   // Decoded at the size the index's photos were decoded at, so a file of the collection finds itself.
 *   BufferedImage query = new ImageDecoder().decode(photo, searcher.inputSide()).image();
 *   for (SearchHit hit : searcher.byImage(query, options).hits()) {
 *     System.out.println(hit.score() + " " + hit.image().path());
 *   }
 * }
 * }
 *
 * <p>{@link imgsearch.search.ImageSearcher} works on any {@link imgsearch.index.ImageIndex}: the Lucene one
 * above (module index-lucene), or the SolrCloud one of the index-solr module. Deep descriptors (CLIP,
 * ResNet-50) come from {@code imgsearch.descriptor.deep.DeepDescriptors} (module deep), registered next to
 * the classic ones; CLIP also searches by words ({@code searcher.byText}).
 */
package imgsearch.search;
