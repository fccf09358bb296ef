package imgsearch.index.lucene;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.descriptor.VectorEncoding;
import imgsearch.index.Attribution;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexInfo;
import imgsearch.index.IndexUnavailableException;
import imgsearch.index.Quantization;
import imgsearch.index.SearchHit;
import imgsearch.index.TopK;
import imgsearch.index.VectorQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.codecs.lucene95.HasIndexSlice;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.MemorySegmentAccessInput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * {@link ImageIndex} on an embedded Lucene index: one document per image, one vector field per
 * descriptor (see {@link VectorFields}), HNSW where the metric allows and exact parallel scans
 * otherwise.
 *
 * <p>Opened read-write, searches see this process's writes after {@link #refresh()} (near-real-time
 * reader). Opened read-only, calls pick up the latest commit (checked at most twice a second), so a server
 * sees an indexing run in another process progress commit by commit.
 */
public final class LuceneImageIndex implements ImageIndex {

  /** File in every index folder, so that indexing a parent folder never indexes the index. */
  public static final String INDEX_MARKER = "IMGSEARCH_INDEX";

  private static final String ID = "id";
  private static final String PATH = "path";
  private static final String HASH = "hash";
  private static final String SIZE = "size";
  private static final String WIDTH = "width";
  private static final String HEIGHT = "height";
  private static final String SPLIT = "split";
  private static final String CLASS = "class";
  private static final String ATTRIBUTION = "attribution";
  private static final String DESCRIPTOR = "descriptor";
  private static final String CATALOG_KEY_PREFIX = "descriptor.";
  /** Commit user data: {@code quantization.NAME} = how NAME's graph stores its vectors ({@link Quantization#id}). */
  private static final String QUANTIZATION_KEY_PREFIX = "quantization.";
  /**
   * Quantization of a descriptor new to an index when the indexing run does not choose one: float32,
   * which on 1M x 512 clustered vectors gave the best queries per second at recall 0.95 (BENCHMARKS.md, kNN
   * at scale); int8 reads 4x fewer bytes per comparison where memory is short.
   */
  public static final Quantization DEFAULT_QUANTIZATION = Quantization.NONE;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How stale a read-only index may be: another process's commit shows within this time. */
  private static final long REFRESH_NANOS = 500_000_000L;

  private final Path location;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Map<String, DescriptorSpec> catalog = new ConcurrentHashMap<>();
  /** Descriptor name -> how its graph stores vectors; absent: {@link Quantization#NONE} (indexes before the choice). */
  private final Map<String, Quantization> quantizations = new ConcurrentHashMap<>();
  /** Graph field -> quantization its segments are written with: what {@link ImgsearchCodec} asks. */
  private final Map<String, Quantization> fieldQuantization;
  /** Segments to rewrite in their field's current format (see {@link #rewriteStaleSegments}). */
  private final RewriteMergePolicy mergePolicy;
  private final ExecutorService scanPool;
  private final int scanThreads;
  /** Read-only mode: when the directory was last checked for a new commit. */
  private volatile long lastRefreshCheck = System.nanoTime();
  /** Read-only mode: the catalogue of the commit the current reader sees, parsed once per reader. */
  private volatile CatalogOfReader catalogOfReader;

  private record CatalogOfReader(Object readerKey, Map<String, DescriptorSpec> catalog,
      Map<String, Quantization> quantizations) {}

  private LuceneImageIndex(Path location, Directory directory, IndexWriter writer, SearcherManager searchers,
      int scanThreads, RewriteMergePolicy mergePolicy, Map<String, Quantization> fieldQuantization) {
    this.location = location;
    this.fieldQuantization = fieldQuantization;
    this.mergePolicy = mergePolicy;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.scanThreads = scanThreads;
    this.scanPool = Executors.newFixedThreadPool(scanThreads, r -> {
      Thread t = new Thread(r, "imgsearch-scan");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens (creating if needed) the index in folder {@code indexDir} for reading and writing. */
  public static LuceneImageIndex open(Path indexDir) throws IOException {
    Path luceneDir = indexDir.resolve("lucene");
    Files.createDirectories(luceneDir);
    Path marker = indexDir.resolve(INDEX_MARKER);
    if (!Files.exists(marker)) {
      Files.writeString(marker, "This folder is an imgsearch index; indexing a parent folder skips it.\n");
    }
    Directory dir = FSDirectory.open(luceneDir);
    Map<String, Quantization> fieldQuantization = new ConcurrentHashMap<>();
    // No compound files: packing a flushed segment into one would copy its (large) vector data once more.
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setNoCFSRatio(0.0);
    RewriteMergePolicy mergePolicy = new RewriteMergePolicy(merges);
    IndexWriterConfig config = new IndexWriterConfig().setCodec(new ImgsearchCodec(fieldQuantization::get))
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setUseCompoundFile(false)
        .setMergePolicy(mergePolicy)
        .setRAMBufferSizeMB(256);
    IndexWriter writer;
    try {
      writer = new IndexWriter(dir, config);
    } catch (LockObtainFailedException e) {
      dir.close();
      throw new IndexUnavailableException("another imgsearch process is writing to the index at " + indexDir
          + "; wait for it to finish (searching it at the same time is fine)", e);
    }
    Map<String, String> userData = new HashMap<>();
    writer.getLiveCommitData().forEach(e -> userData.put(e.getKey(), e.getValue()));
    Map<String, DescriptorSpec> catalog;
    Map<String, Quantization> quantizations;
    try {
      catalog = parseCatalog(userData);
      quantizations = parseQuantizations(userData);
    } catch (IndexUnavailableException e) {
      writer.rollback(); // closes without committing: the index stays as its writer left it
      dir.close();
      throw e;
    }
    LuceneImageIndex index = new LuceneImageIndex(indexDir, dir, writer, new SearcherManager(writer, null),
        Runtime.getRuntime().availableProcessors(), mergePolicy, fieldQuantization);
    index.catalog.putAll(catalog);
    index.quantizations.putAll(quantizations);
    index.fieldQuantization.putAll(fieldsOf(index.catalog, index.quantizations));
    return index;
  }

  /** Opens an existing index for searching only; fails with a clear message when there is none. */
  public static LuceneImageIndex openReadOnly(Path indexDir) throws IOException {
    Path luceneDir = indexDir.resolve("lucene");
    if (!Files.isDirectory(luceneDir)) {
      throw new IndexUnavailableException("there is no index at " + indexDir
          + " yet: build it with 'imgsearch index DIR" + " --index " + indexDir + "'");
    }
    Directory dir = FSDirectory.open(luceneDir);
    if (!DirectoryReader.indexExists(dir)) {
      dir.close();
      throw new IndexUnavailableException("the index at " + indexDir
          + " has no completed commit yet: run or finish 'imgsearch index DIR --index " + indexDir + "'");
    }
    return new LuceneImageIndex(indexDir, dir, null, new SearcherManager(dir, null),
        Runtime.getRuntime().availableProcessors(), null, new ConcurrentHashMap<>());
  }

  /** The folder this index lives in. */
  public Path location() {
    return location;
  }

  // ---- catalogue ----

  @Override
  public Map<String, DescriptorSpec> descriptors() throws IOException {
    if (writer != null) {
      return Map.copyOf(catalog);
    }
    return committedCatalog().catalog();
  }

  /** How each descriptor's graph stores its vectors (descriptors without a graph included, as stored). */
  public Map<String, Quantization> quantizations() throws IOException {
    Map<String, DescriptorSpec> specs = descriptors();
    Map<String, Quantization> stored = writer != null ? Map.copyOf(quantizations) : committedCatalog().quantizations();
    Map<String, Quantization> out = new TreeMap<>();
    for (String name : specs.keySet()) {
      out.put(name, stored.getOrDefault(name, Quantization.NONE));
    }
    return out;
  }

  /** Read-only mode: the catalogue of the commit the current reader sees, parsed once per reader. */
  private CatalogOfReader committedCatalog() throws IOException {
    IndexSearcher s = acquire();
    try {
      Object key = s.getIndexReader().getReaderCacheHelper().getKey();
      CatalogOfReader cached = catalogOfReader;
      if (cached == null || cached.readerKey() != key) {
        Map<String, String> userData = ((DirectoryReader) s.getIndexReader()).getIndexCommit().getUserData();
        cached = new CatalogOfReader(key, parseCatalog(userData), parseQuantizations(userData));
        catalogOfReader = cached;
      }
      return cached;
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public void registerDescriptor(DescriptorSpec spec) throws IOException {
    registerDescriptor(spec, null);
  }

  /**
   * Registers {@code spec} with its graph stored as {@code quantization} (null: as stored, or
   * {@link #DEFAULT_QUANTIZATION} for a descriptor new to this index; an index from before the choice
   * existed holds float32 graphs). When the quantization of a descriptor changes, the catalogue is
   * committed and every segment holding its graph is rewritten in the new form, from the float vectors
   * the index keeps: nothing is described again. A rewrite cut short is finished the next time the
   * descriptor is registered; searches meanwhile stay correct (each segment is searched in its own form,
   * candidates are re-scored exactly).
   */
  @Override
  public void registerDescriptor(DescriptorSpec spec, Quantization quantization) throws IOException {
    requireWritable();
    Quantization stored = quantizations.get(spec.name());
    Quantization wanted = quantization != null ? quantization
        : stored != null ? stored
        : catalog.containsKey(spec.name()) ? Quantization.NONE
        : DEFAULT_QUANTIZATION;
    catalog.put(spec.name(), spec);
    quantizations.put(spec.name(), wanted);
    fieldQuantization.putAll(fieldsOf(Map.of(spec.name(), spec), Map.of(spec.name(), wanted)));
    if (rewriteStaleSegments(false)) {
      commit(); // the catalogue first: a rewrite cut short is then finished by the next registration
      rewriteStaleSegments(true);
    }
  }

  /** Graph field -> quantization, for every graph field of the given descriptors. */
  private static Map<String, Quantization> fieldsOf(Map<String, DescriptorSpec> specs,
      Map<String, Quantization> quantizations) {
    Map<String, Quantization> out = new HashMap<>();
    for (DescriptorSpec spec : specs.values()) {
      Quantization q = quantizations.getOrDefault(spec.name(), Quantization.NONE);
      VectorFields f = VectorFields.of(spec);
      if (f.graph()) {
        out.put(f.raw(), q);
      }
      if (f.correlation() != null) {
        out.put(f.correlation(), q);
      }
    }
    return out;
  }

  /**
   * Finds segments whose graph fields were written in another format than their descriptor's current
   * quantization; when {@code rewrite}, rewrites each of them (a merge of the segment alone, which writes
   * it through the current codec) and commits. Returns whether there were any.
   */
  private boolean rewriteStaleSegments(boolean rewrite) throws IOException {
    Set<String> stale = new HashSet<>();
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        if (!(leaf.reader() instanceof SegmentReader segment)) {
          continue;
        }
        for (FieldInfo fi : segment.getFieldInfos()) {
          Quantization q = fieldQuantization.get(fi.name);
          if (fi.hasVectorValues() && q != null && !ImgsearchCodec.formatOf(q).getName()
              .equals(fi.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY))) {
            stale.add(segment.getSegmentName());
          }
        }
      }
    }
    if (stale.isEmpty() || !rewrite) {
      return !stale.isEmpty();
    }
    mergePolicy.rewrite(stale);
    try {
      writer.forceMerge(Integer.MAX_VALUE);
    } finally {
      mergePolicy.rewrite(Set.of());
    }
    commit();
    return true;
  }

  /**
   * How each descriptor's graph stores its vectors, from a commit's user data.
   *
   * @throws IndexUnavailableException when it names a quantization this imgsearch does not know: a newer one
   *     wrote the index
   */
  private static Map<String, Quantization> parseQuantizations(Map<String, String> userData)
      throws IndexUnavailableException {
    Map<String, Quantization> out = new HashMap<>();
    for (Map.Entry<String, String> e : userData.entrySet()) {
      if (e.getKey().startsWith(QUANTIZATION_KEY_PREFIX)) {
        String descriptor = e.getKey().substring(QUANTIZATION_KEY_PREFIX.length());
        try {
          out.put(descriptor, Quantization.fromId(e.getValue()));
        } catch (IllegalArgumentException unknown) {
          throw writtenByNewer("its " + descriptor + " vectors are stored as '" + e.getValue()
              + "', which this version does not know", unknown);
        }
      }
    }
    return out;
  }

  /**
   * The descriptors of a commit's catalogue, by name.
   *
   * @throws IndexUnavailableException when an entry cannot be read: damaged, or written by a newer imgsearch
   */
  private static Map<String, DescriptorSpec> parseCatalog(Map<String, String> userData)
      throws IndexUnavailableException {
    Map<String, DescriptorSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(userData).entrySet()) {
      if (e.getKey().startsWith(CATALOG_KEY_PREFIX)) {
        try {
          DescriptorSpec spec = JSON.readValue(e.getValue(), DescriptorSpec.class);
          out.put(spec.name(), spec);
        } catch (JsonProcessingException unreadable) {
          throw writtenByNewer("its descriptor catalogue entry " + e.getKey() + " cannot be read (or it is damaged)",
              unreadable);
        }
      }
    }
    return out;
  }

  private static IndexUnavailableException writtenByNewer(String what, Exception cause) {
    return new IndexUnavailableException("this index was written by a newer imgsearch: " + what
        + "; upgrade imgsearch, or index the photos again into a new index folder with this version", cause);
  }

  // ---- writes ----

  @Override
  public void upsert(ImageRecord image, Map<String, float[]> vectors) throws IOException {
    upsert(image, vectors, Map.of());
  }

  @Override
  public void upsert(ImageRecord image, Map<String, float[]> vectors, Map<String, byte[]> byteVectors)
      throws IOException {
    requireWritable();
    Document doc = new Document();
    doc.add(new StringField(ID, image.id(), Field.Store.YES));
    doc.add(new StringField(PATH, image.path(), Field.Store.YES));
    doc.add(new SortedDocValuesField(PATH, new BytesRef(image.path())));
    doc.add(new StoredField(HASH, image.contentHash()));
    doc.add(new StoredField(SIZE, image.sizeBytes()));
    doc.add(new StoredField(WIDTH, image.width()));
    doc.add(new StoredField(HEIGHT, image.height()));
    addKeyword(doc, SPLIT, image.split());
    addKeyword(doc, CLASS, image.label());
    String attribution = image.attribution() == null ? null : JSON.writeValueAsString(image.attribution());
    if (attribution != null) {
      doc.add(new StoredField(ATTRIBUTION, attribution));
    }
    Set<String> keys = new HashSet<>();
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      DescriptorSpec spec = specOf(e.getKey(), e.getValue().length);
      addVector(doc, spec, e.getValue());
      keys.add(spec.key());
    }
    for (Map.Entry<String, byte[]> e : byteVectors.entrySet()) {
      DescriptorSpec spec = specOf(e.getKey(), e.getValue().length);
      VectorFields f = VectorFields.of(spec);
      if (f.bytes()) {
        addBytes(doc, spec, f, e.getValue());
      } else {
        addVector(doc, spec, VectorEncoding.fromUnsignedBytes(e.getValue())); // kept in a graph, as floats
      }
      keys.add(spec.key());
    }
    BytesRef record = RecordValues.encode(new ImageRecord(image.id(), image.path(), image.contentHash(), image.sizeBytes(),
        image.width(), image.height(), image.split(), image.label(), null, keys), attribution);
    if (record != null) {
      doc.add(new BinaryDocValuesField(RecordValues.FIELD, record));
    }
    writer.updateDocument(new Term(ID, image.id()), doc);
  }

  /** The fields of one vector given as floats. */
  private static void addVector(Document doc, DescriptorSpec spec, float[] v) {
    VectorFields f = VectorFields.of(spec);
    if (f.bytes()) {
      addBytes(doc, spec, f, VectorEncoding.toUnsignedBytes(v));
      return;
    }
    doc.add(new KnnFloatVectorField(f.raw(), f.layout().graphVector(v), f.rawSimilarity()));
    if (f.correlation() != null) {
      doc.add(new KnnFloatVectorField(f.correlation(), f.layout().correlationVector(v),
          VectorFields.similarity(f.layout().correlationSimilarity())));
    }
    doc.add(new StringField(DESCRIPTOR, spec.key(), Field.Store.YES));
  }

  /** The fields of one vector stored as unsigned bytes (a flat field: no graph, no correlation field). */
  private static void addBytes(Document doc, DescriptorSpec spec, VectorFields f, byte[] v) {
    doc.add(new KnnByteVectorField(f.raw(), v, f.rawSimilarity()));
    doc.add(new StringField(DESCRIPTOR, spec.key(), Field.Store.YES));
  }

  /** The registered spec of a descriptor whose vector of {@code dimension} elements is being stored. */
  private DescriptorSpec specOf(String descriptor, int dimension) {
    DescriptorSpec spec = catalog.get(descriptor);
    if (spec == null) {
      throw new IllegalArgumentException("descriptor '" + descriptor + "' is not registered with this index");
    }
    if (dimension != spec.dimension()) {
      throw new IllegalArgumentException(spec.title() + " vectors have " + spec.dimension() + " dimensions, got "
          + dimension);
    }
    return spec;
  }

  private static void addKeyword(Document doc, String field, String value) {
    if (value != null) {
      doc.add(new StringField(field, value, Field.Store.YES));
      doc.add(new SortedDocValuesField(field, new BytesRef(value)));
    }
  }

  @Override
  public void delete(String id) throws IOException {
    requireWritable();
    writer.deleteDocuments(new Term(ID, id));
  }

  @Override
  public void refresh() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  @Override
  public void commit() throws IOException {
    requireWritable();
    Map<String, String> userData = new TreeMap<>();
    for (DescriptorSpec spec : catalog.values()) {
      userData.put(CATALOG_KEY_PREFIX + spec.name(), JSON.writeValueAsString(spec));
      userData.put(QUANTIZATION_KEY_PREFIX + spec.name(), quantizations.getOrDefault(spec.name(), Quantization.NONE).id());
    }
    writer.setLiveCommitData(userData.entrySet());
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  /** Flushes one in-memory segment (the next one due, else the largest) to files, not yet committed. */
  @Override
  public boolean writeBuffered() throws IOException {
    requireWritable();
    return writer.flushNextBuffer();
  }

  /**
   * Merges the index into one segment and commits: searches are fastest on one segment (one HNSW graph
   * instead of one per segment). It rewrites every vector and graph, so it takes about as long as building
   * them did; searches keep running on the previous commit meanwhile.
   */
  @Override
  public void optimize() throws IOException {
    requireWritable();
    writer.forceMerge(1);
    commit();
  }

  private void requireWritable() {
    if (writer == null) {
      throw new IllegalStateException("this index was opened read-only");
    }
  }

  // ---- reads ----

  @Override
  public Optional<ImageRecord> get(String id) throws IOException {
    IndexSearcher s = acquire();
    try {
      TopDocs top = s.search(new TermQuery(new Term(ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      return Optional.of(record(s, top.scoreDocs[0].doc));
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public Optional<float[]> vector(String id, String descriptor) throws IOException {
    DescriptorSpec spec = descriptors().get(descriptor);
    return spec == null ? Optional.empty() : vector(id, spec);
  }

  @Override
  public Optional<float[]> vector(String id, DescriptorSpec spec) throws IOException {
    VectorFields fields = VectorFields.of(spec);
    IndexSearcher s = acquire();
    try {
      TopDocs top = s.search(new TermQuery(new Term(ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      return readVector(s, top.scoreDocs[0].doc, fields.raw(), fields.bytes());
    } finally {
      searchers.release(s);
    }
  }

  /** The stored vector of {@code doc} in {@code field} (byte vectors as their 0-255 values), a copy. */
  private static Optional<float[]> readVector(IndexSearcher s, int doc, String field, boolean bytes)
      throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    KnnVectorValues values = bytes ? leaf.reader().getByteVectorValues(field) : leaf.reader().getFloatVectorValues(field);
    if (values == null) {
      return Optional.empty();
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    int local = doc - leaf.docBase;
    if (it.advance(local) != local) {
      return Optional.empty();
    }
    return Optional.of(values instanceof ByteVectorValues b ? VectorEncoding.fromUnsignedBytes(b.vectorValue(it.index()))
        : ((FloatVectorValues) values).vectorValue(it.index()).clone());
  }

  @Override
  public List<SearchHit> search(VectorQuery q) throws IOException {
    VectorFields fields = VectorFields.of(q.spec());
    IndexSearcher s = acquire();
    try {
      Query filter = filterQuery(q.filter(), q.excludeId());
      List<Scored> scored = !q.exact() && fields.layout().hasGraphFor(q.metric())
          ? graphSearch(s, q, fields, filter)
          : exactScan(s, q, fields.raw(), filter, fields.bytes());
      List<SearchHit> hits = new ArrayList<>(scored.size());
      for (Scored sc : scored) {
        hits.add(new SearchHit(record(s, sc.doc), sc.score));
      }
      return hits;
    } finally {
      searchers.release(s);
    }
  }

  /**
   * A document and its score. Equal scores rank by image id ({@link TopK}): Lucene's doc numbers follow the
   * order the indexing threads happened to add documents in, so they would make the order differ from
   * machine to machine. The id is read only when a tie needs it.
   */
  private static final class Scored {
    final int doc;
    final double score;
    private final IndexReader reader;
    private String id;

    Scored(int doc, double score, IndexReader reader) {
      this.doc = doc;
      this.score = score;
      this.reader = reader;
    }

    double score() {
      return score;
    }

    String id() {
      if (id == null) {
        try {
          id = idOf(reader, doc);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return id;
    }
  }

  /** The image id of a document: from its record doc value, or the stored fields of documents from before it. */
  private static String idOf(IndexReader reader, int doc) throws IOException {
    RecordValues.Decoded d = recordValue(reader, doc);
    return d != null ? d.id() : reader.storedFields().document(doc, Set.of(ID)).get(ID);
  }

  /** The record doc value of a document (a top-level doc number), or null for documents from before them. */
  private static RecordValues.Decoded recordValue(IndexReader reader, int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = leaf.reader().getBinaryDocValues(RecordValues.FIELD);
    return values != null && values.advanceExact(doc - leaf.docBase) ? RecordValues.decode(values.binaryValue()) : null;
  }

  private static TopK<Scored> topK(VectorQuery q) {
    return new TopK<>(q.k(), q.metric(), Scored::score, Scored::id);
  }

  /**
   * HNSW candidates (as many as the query's search effort asks), then re-scored exactly on the raw
   * vectors, which also makes up for a quantized graph's approximate scores. Candidates are re-scored leaf
   * by leaf in doc order, so each leaf's vectors are opened once and read front to back.
   */
  private List<Scored> graphSearch(IndexSearcher s, VectorQuery q, VectorFields fields, Query filter)
      throws IOException {
    float[] target = fields.layout().queryVector(q.metric(), q.vector());
    int candidates = q.effectiveCandidates();
    TopDocs top = s.search(new KnnFloatVectorQuery(fields.graphField(q.metric()), target, candidates, filter),
        candidates);
    ScoreDoc[] byDoc = top.scoreDocs.clone();
    Arrays.sort(byDoc, Comparator.comparingInt(sd -> sd.doc));
    Metric.Scorer scorer = q.metric().scorer(q.vector());
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    TopK<Scored> best = topK(q);
    int i = 0;
    while (i < byDoc.length) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(byDoc[i].doc, leaves));
      int leafEnd = leaf.docBase + leaf.reader().maxDoc();
      FloatVectorValues values = leaf.reader().getFloatVectorValues(fields.raw());
      KnnVectorValues.DocIndexIterator it = values == null ? null : values.iterator();
      for (; i < byDoc.length && byDoc[i].doc < leafEnd; i++) {
        int local = byDoc[i].doc - leaf.docBase;
        if (it != null && (it.docID() == local || (it.docID() < local && it.advance(local) == local))) {
          best.offer(new Scored(byDoc[i].doc, scorer.score(values.vectorValue(it.index())), s.getIndexReader()));
        }
      }
    }
    return best.best();
  }

  /**
   * Every stored vector compared, each segment split across the scan threads. Byte vectors are read in place
   * from the memory-mapped file (no copy), where the directory allows.
   */
  private List<Scored> exactScan(IndexSearcher s, VectorQuery q, String field, Query filter, boolean bytes)
      throws IOException {
    Weight filterWeight = filter == null ? null
        : s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<Future<TopK<Scored>>> parts = new ArrayList<>();
    Metric.Scorer floatScorer = bytes ? null : q.metric().scorer(q.vector());
    Metric.ByteScorer byteScorer = bytes ? q.metric().byteScorer(q.vector()) : null;
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      KnnVectorValues values = bytes ? leaf.reader().getByteVectorValues(field) : leaf.reader().getFloatVectorValues(field);
      if (values == null || values.size() == 0) {
        continue;
      }
      FixedBitSet allowed = allowedDocs(leaf, filterWeight);
      int size = values.size();
      int chunk = Math.max(1, (size + scanThreads - 1) / scanThreads);
      for (int from = 0; from < size; from += chunk) {
        int start = from, end = Math.min(size, from + chunk);
        KnnVectorValues mine = values.copy();
        TopK<Scored> part = topK(q);
        parts.add(scanPool.submit(() -> bytes
            ? scanBytes((ByteVectorValues) mine, start, end, leaf, s.getIndexReader(), allowed, byteScorer, part)
            : scanRange((FloatVectorValues) mine, start, end, leaf, s.getIndexReader(), allowed, floatScorer, part)));
      }
    }
    TopK<Scored> merged = topK(q);
    for (Future<TopK<Scored>> part : parts) {
      try {
        merged.addAll(part.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("search interrupted", e);
      } catch (ExecutionException e) {
        throw new IOException("exact scan failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
    return merged.best();
  }

  private static TopK<Scored> scanBytes(ByteVectorValues values, int start, int end, LeafReaderContext leaf,
      IndexReader reader, FixedBitSet allowed, Metric.ByteScorer scorer, TopK<Scored> top) throws IOException {
    var live = leaf.reader().getLiveDocs();
    int dim = values.dimension();
    // The flat format stores vector ord at ord * dimension bytes of its slice of the .vec file: read in
    // place where the directory maps it, else copied into one off-heap buffer (the scorer is fastest when
    // every segment it sees is native).
    MemorySegmentAccessInput mapped = values instanceof HasIndexSlice sliced
        && sliced.getSlice() instanceof MemorySegmentAccessInput m ? m.clone() : null;
    MemorySegment copy = null;
    for (int ord = start; ord < end; ord++) {
      int doc = values.ordToDoc(ord);
      if ((live != null && !live.get(doc)) || (allowed != null && !allowed.get(doc))) {
        continue;
      }
      MemorySegment vector = mapped == null ? null : mapped.segmentSliceOrNull((long) ord * dim, dim);
      if (vector == null) {
        if (copy == null) {
          copy = java.lang.foreign.Arena.ofAuto().allocate(dim);
        }
        vector = copy.copyFrom(MemorySegment.ofArray(values.vectorValue(ord)));
      }
      top.offer(new Scored(leaf.docBase + doc, scorer.score(vector), reader));
    }
    return top;
  }

  private static TopK<Scored> scanRange(FloatVectorValues values, int start, int end, LeafReaderContext leaf,
      IndexReader reader, FixedBitSet allowed, Metric.Scorer scorer, TopK<Scored> top) throws IOException {
    var live = leaf.reader().getLiveDocs();
    for (int ord = start; ord < end; ord++) {
      int doc = values.ordToDoc(ord);
      if ((live != null && !live.get(doc)) || (allowed != null && !allowed.get(doc))) {
        continue;
      }
      top.offer(new Scored(leaf.docBase + doc, scorer.score(values.vectorValue(ord)), reader));
    }
    return top;
  }

  private static FixedBitSet allowedDocs(LeafReaderContext leaf, Weight filterWeight) throws IOException {
    if (filterWeight == null) {
      return null;
    }
    FixedBitSet bits = new FixedBitSet(leaf.reader().maxDoc());
    Scorer scorer = filterWeight.scorer(leaf);
    if (scorer != null) {
      DocIdSetIterator it = scorer.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        bits.set(d);
      }
    }
    return bits;
  }

  private static Query filterQuery(ImageFilter filter, String excludeId) {
    if (filter.split() == null && filter.label() == null && excludeId == null) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER);
    if (filter.split() != null) {
      b.add(new TermQuery(new Term(SPLIT, filter.split())), Occur.FILTER);
    }
    if (filter.label() != null) {
      b.add(new TermQuery(new Term(CLASS, filter.label())), Occur.FILTER);
    }
    if (excludeId != null) {
      b.add(new TermQuery(new Term(ID, excludeId)), Occur.MUST_NOT);
    }
    return b.build();
  }

  @Override
  public List<ImageRecord> list(ImageFilter filter, int offset, int limit) throws IOException {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    if (limit == 0) {
      return List.of();
    }
    IndexSearcher s = acquire();
    try {
      Query query = Optional.ofNullable(filterQuery(filter, null)).orElse(new MatchAllDocsQuery());
      Sort sort = new Sort(new SortField(SPLIT, SortField.Type.STRING), new SortField(CLASS, SortField.Type.STRING),
          new SortField(PATH, SortField.Type.STRING));
      int wanted = (int) Math.min(Integer.MAX_VALUE - 1L, (long) offset + limit);
      TopDocs top = s.search(query, Math.max(1, wanted), sort);
      List<ImageRecord> out = new ArrayList<>();
      for (int i = offset; i < top.scoreDocs.length; i++) {
        out.add(record(s, top.scoreDocs[i].doc));
      }
      return out;
    } finally {
      searchers.release(s);
    }
  }

  /** Walks one point-in-time view of the index, segment by segment; deletes go to the writer meanwhile. */
  @Override
  public void forEachImage(ImageFilter filter, ImageAction action) throws IOException {
    IndexSearcher s = acquire();
    try {
      Query query = Optional.ofNullable(filterQuery(filter, null)).orElse(new MatchAllDocsQuery());
      Weight weight = s.createWeight(s.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        var live = leaf.reader().getLiveDocs();
        DocIdSetIterator it = scorer.iterator();
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
          if (live == null || live.get(d)) {
            action.accept(record(s, leaf.docBase + d));
          }
        }
      }
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public int count(ImageFilter filter) throws IOException {
    IndexSearcher s = acquire();
    try {
      return s.count(Optional.ofNullable(filterQuery(filter, null)).orElse(new MatchAllDocsQuery()));
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public Map<String, Map<String, Integer>> counts() throws IOException {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    IndexSearcher s = acquire();
    try {
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        LeafReader r = leaf.reader();
        SortedDocValues splits = r.getSortedDocValues(SPLIT);
        SortedDocValues classes = r.getSortedDocValues(CLASS);
        var live = r.getLiveDocs();
        for (int doc = 0; doc < r.maxDoc(); doc++) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          String split = valueAt(splits, doc);
          String label = valueAt(classes, doc);
          out.computeIfAbsent(split, x -> new TreeMap<>()).merge(label, 1, Integer::sum);
        }
      }
      return out;
    } finally {
      searchers.release(s);
    }
  }

  private static String valueAt(SortedDocValues values, int doc) throws IOException {
    return values != null && values.advanceExact(doc) ? values.lookupOrd(values.ordValue()).utf8ToString() : "";
  }

  @Override
  public IndexInfo info() throws IOException {
    Map<String, DescriptorSpec> specs = descriptors();
    Map<String, Quantization> stored = quantizations();
    List<IndexInfo.Descriptor> out = new ArrayList<>();
    int images;
    IndexSearcher s = acquire();
    try {
      images = s.count(new MatchAllDocsQuery());
      for (DescriptorSpec spec : specs.values()) {
        VectorFields f = VectorFields.of(spec);
        List<Metric> graphMetrics = f.layout().graphMetrics();
        Quantization q = graphMetrics.isEmpty() ? null : stored.getOrDefault(spec.name(), Quantization.NONE);
        int vectors = s.count(new TermQuery(new Term(DESCRIPTOR, spec.key())));
        out.add(new IndexInfo.Descriptor(spec, graphMetrics, q, vectors, approxBytes(spec, f, q, vectors)));
      }
    } finally {
      searchers.release(s);
    }
    long disk = 0;
    for (String file : directory.listAll()) {
      try {
        disk += directory.fileLength(file);
      } catch (IOException gone) {
        // deleted by a merge while listing
      }
    }
    return new IndexInfo(location.toString(), "lucene", images, disk, out);
  }

  /**
   * Estimated bytes of one descriptor's vectors: the vectors every field keeps (floats, or one byte per value
   * for raw pixels), and per graph field a quantized copy (when quantized) and about 100 bytes of graph links
   * per vector (Lucene keeps up to 32 delta-coded neighbours per node on the bottom layer).
   */
  private static long approxBytes(DescriptorSpec spec, VectorFields f, Quantization q, int vectors) {
    long floats = 4L * spec.dimension();
    long graphField = 0;
    if (q != null) {
      long quantized = q == Quantization.NONE ? 0 : ((long) spec.dimension() * q.bits() + 7) / 8 + 16;
      graphField = quantized + 100;
    }
    long raw = f.bytes() ? spec.dimension() : floats;
    long perVector = raw + (f.graph() ? graphField : 0) + (f.correlation() != null ? floats + graphField : 0);
    return perVector * vectors;
  }

  private IndexSearcher acquire() throws IOException {
    if (writer == null) {
      // Looking for a new commit lists the directory: do it at most every REFRESH_NANOS, not on every call.
      long now = System.nanoTime();
      if (now - lastRefreshCheck > REFRESH_NANOS) {
        lastRefreshCheck = now;
        searchers.maybeRefresh();
      }
    }
    return searchers.acquire();
  }

  /** The record of a document: from its record doc value, or the stored fields of documents from before it. */
  private static ImageRecord record(IndexSearcher s, int doc) throws IOException {
    RecordValues.Decoded value = recordValue(s.getIndexReader(), doc);
    if (value != null) {
      Attribution attribution = value.attributionJson() == null ? null
          : JSON.readValue(value.attributionJson(), Attribution.class);
      return new ImageRecord(value.id(), value.path(), value.hash(), value.size(), value.width(), value.height(),
          value.split(), value.label(), attribution, value.descriptors());
    }
    StoredFields stored = s.storedFields();
    Document d = stored.document(doc);
    Attribution attribution = null;
    String attr = d.get(ATTRIBUTION);
    if (attr != null) {
      attribution = JSON.readValue(attr, Attribution.class);
    }
    Set<String> descriptors = new HashSet<>(List.of(d.getValues(DESCRIPTOR)));
    return new ImageRecord(d.get(ID), d.get(PATH), d.get(HASH), d.getField(SIZE).numericValue().longValue(),
        d.getField(WIDTH).numericValue().intValue(), d.getField(HEIGHT).numericValue().intValue(), d.get(SPLIT),
        d.get(CLASS), attribution, descriptors);
  }

  @Override
  public void close() throws IOException {
    scanPool.shutdownNow();
    try {
      if (writer != null) {
        commit();
      }
      searchers.close();
      if (writer != null) {
        writer.close();
      }
    } finally {
      directory.close();
    }
  }
}
