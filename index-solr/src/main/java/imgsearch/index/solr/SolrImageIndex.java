package imgsearch.index.solr;

import com.fasterxml.jackson.databind.ObjectMapper;
import imgsearch.descriptor.DescriptorSpec;
import imgsearch.descriptor.Metric;
import imgsearch.index.Attribution;
import imgsearch.index.ImageFilter;
import imgsearch.index.ImageIndex;
import imgsearch.index.ImageRecord;
import imgsearch.index.IndexInfo;
import imgsearch.index.Quantization;
import imgsearch.index.IndexUnavailableException;
import imgsearch.index.SearchHit;
import imgsearch.index.TopK;
import imgsearch.index.VectorLayout;
import imgsearch.index.VectorQuery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.PivotField;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;

/**
 * {@link ImageIndex} on a SolrCloud collection: one document per image, vectors laid out as
 * {@link SolrVectorFields} describes, searched with Solr's HNSW ({@code {!knn}}) where the metric
 * allows.
 *
 * <p>How searches run:
 * <ul>
 *   <li>metric answered by a graph, approximate: {@code {!knn}} with over-fetch (at least 100
 *       candidates, {@code topK} per shard), filters as {@code fq} (Solr applies them before the graph
 *       search), candidates re-scored exactly;</li>
 *   <li>metric answered by a graph, exact: Solr scores every matching document with
 *       {@code vectorSimilarity} (brute force, on the shards), the best are re-scored exactly;</li>
 *   <li>other metrics (L1, chi-squared, or a second graph-capable metric): when at most
 *       {@link SolrIndexLocation#rerank()} images match the filter, or the query asks for exact, every
 *       matching vector is fetched and scored here; otherwise the {@code rerank} nearest candidates in
 *       the descriptor's graph (its graph metric, or euclidean distance for histograms) are fetched
 *       from Solr and reranked, which is approximate;</li>
 *   <li>descriptors without a graph (over {@link VectorLayout#MAX_GRAPH_DIMENSIONS} dimensions, e.g. raw
 *       pixels at 224 x 224): every matching vector is fetched and scored here.</li>
 * </ul>
 * Scores are always the metric's textbook values, computed with {@link Metric#score}; results are ranked
 * by {@link TopK}, as in every backend.
 *
 * <p>Writes are sent in batches; {@link #refresh()} is a soft commit and {@link #commit()} a hard one,
 * so searches on any client see writes after either. Thread-safe.
 */
public final class SolrImageIndex implements ImageIndex {

  /**
   * Basic-authentication credentials for a secured cluster.
   *
   * @param user user name
   * @param password password; never printed
   */
  public record Credentials(String user, String password) {

    /** From {@code IMGSEARCH_SOLR_USER} and {@code IMGSEARCH_SOLR_PASSWORD}, or null when unset. */
    public static Credentials fromEnvironment() {
      String user = System.getenv("IMGSEARCH_SOLR_USER");
      String password = System.getenv("IMGSEARCH_SOLR_PASSWORD");
      return user == null || user.isBlank() ? null : new Credentials(user, password == null ? "" : password);
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  static final String KIND = "kind";
  static final String KIND_IMAGE = "image";
  static final String KIND_DESCRIPTOR = "descriptor";
  private static final String ID = "id";
  private static final String PATH = "path";
  private static final String HASH = "content_hash";
  private static final String SIZE = "size_bytes";
  private static final String WIDTH = "width";
  private static final String HEIGHT = "height";
  private static final String SPLIT = "split";
  private static final String LABEL = "label";
  private static final String DESCRIPTORS = "descriptors";
  private static final String ATTRIBUTION = "attribution";
  private static final String SOURCE = "source";
  private static final String LICENSE_NAME = "license_name";
  private static final String SPEC = "spec";
  private static final String DESCRIPTOR_ID_PREFIX = "_descriptor_";
  private static final String RECORD_FIELDS = String.join(",", ID, KIND, PATH, HASH, SIZE, WIDTH, HEIGHT, SPLIT,
      LABEL, DESCRIPTORS, ATTRIBUTION);

  /** Documents per update request. */
  private static final int BATCH_DOCS = 200;
  /** Bytes of vectors per update request: long vectors (pixels) make small batches. */
  private static final long BATCH_BYTES = 16L << 20;
  /** Bytes of vectors per page of an exact scan. */
  private static final long SCAN_PAGE_BYTES = 8L << 20;
  /** Largest page fetched with start/rows; deeper listings page with a cursor. */
  private static final int MAX_PLAIN_PAGE = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SolrIndexLocation location;
  private final String collection;
  private final SolrNodes nodes;
  private final SolrSchema schema;
  /** Descriptors registered through this instance, visible here before they are committed. */
  private final Map<String, DescriptorSpec> registered = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();
  private final List<SolrInputDocument> pending = new ArrayList<>();
  private long pendingBytes;
  private boolean uncommitted;

  private SolrImageIndex(SolrIndexLocation location, SolrNodes nodes) {
    this.location = location;
    this.collection = location.collection();
    this.nodes = nodes;
    this.schema = new SolrSchema(nodes, location.collection());
  }

  /**
   * Connects to the cluster and creates the collection (with the configset this module ships) when it
   * is missing.
   *
   * @param credentials basic-auth credentials or null
   */
  public static SolrImageIndex open(SolrIndexLocation location, Credentials credentials) throws IOException {
    return open(location, credentials, true);
  }

  /**
   * Connects to the cluster; fails with {@link IndexUnavailableException} when the collection does not
   * exist, for commands that only read (search, serve, eval).
   *
   * @param credentials basic-auth credentials or null
   */
  public static SolrImageIndex openExisting(SolrIndexLocation location, Credentials credentials)
      throws IOException {
    return open(location, credentials, false);
  }

  private static SolrImageIndex open(SolrIndexLocation location, Credentials credentials, boolean create)
      throws IOException {
    SolrNodes nodes = new SolrNodes(location.baseUrls(), credentials);
    try {
      nodes.learnLiveNodes();
      SolrSchema schema = new SolrSchema(nodes, location.collection());
      if (create) {
        schema.ensureCollection(location.shards(), location.replicas());
      } else if (!schema.collectionExists()) {
        throw new IndexUnavailableException("the Solr cluster at " + String.join(", ", location.baseUrls())
            + " has no collection '" + location.collection() + "' yet: build it with 'imgsearch index DIR --index "
            + location + "'");
      }
      return new SolrImageIndex(location, nodes);
    } catch (IOException | RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  /** Where this index lives. */
  public SolrIndexLocation location() {
    return location;
  }

  @Override
  public String toString() {
    return "SolrImageIndex[" + location + "]";
  }

  // ---- catalogue ----

  @Override
  public Map<String, DescriptorSpec> descriptors() throws IOException {
    SolrQuery q = new SolrQuery("*:*").addFilterQuery(KIND + ":" + KIND_DESCRIPTOR).setFields(SPEC).setRows(1000);
    Map<String, DescriptorSpec> out = new TreeMap<>();
    for (SolrDocument d : query("read the descriptor catalogue", q).getResults()) {
      DescriptorSpec spec = JSON.readValue((String) d.getFirstValue(SPEC), DescriptorSpec.class);
      out.put(spec.name(), spec);
    }
    out.putAll(registered);
    return out;
  }

  @Override
  public void registerDescriptor(DescriptorSpec spec) throws IOException {
    schema.ensureVectorFields(SolrVectorFields.of(spec));
    SolrInputDocument d = new SolrInputDocument();
    d.setField(ID, DESCRIPTOR_ID_PREFIX + spec.name());
    d.setField(KIND, KIND_DESCRIPTOR);
    d.setField(SPEC, JSON.writeValueAsString(spec));
    synchronized (writeLock) {
      send("register descriptor " + spec.name(), new UpdateRequest().add(d));
      uncommitted = true;
    }
    registered.put(spec.name(), spec);
  }

  private DescriptorSpec specFor(String name) throws IOException {
    DescriptorSpec spec = registered.get(name);
    if (spec == null) {
      spec = descriptors().get(name);
    }
    if (spec == null) {
      throw new IllegalArgumentException("descriptor '" + name + "' is not registered with this index");
    }
    return spec;
  }

  // ---- writes ----

  @Override
  public void upsert(ImageRecord image, Map<String, float[]> vectors) throws IOException {
    SolrInputDocument d = new SolrInputDocument();
    d.setField(ID, image.id());
    d.setField(KIND, KIND_IMAGE);
    d.setField(PATH, image.path());
    d.setField(HASH, image.contentHash());
    d.setField(SIZE, image.sizeBytes());
    d.setField(WIDTH, image.width());
    d.setField(HEIGHT, image.height());
    setIfPresent(d, SPLIT, image.split());
    setIfPresent(d, LABEL, image.label());
    Attribution a = image.attribution();
    if (a != null) {
      d.setField(ATTRIBUTION, JSON.writeValueAsString(a));
      setIfPresent(d, SOURCE, a.source());
      setIfPresent(d, LICENSE_NAME, a.licenseName());
    }
    long bytes = 512;
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      DescriptorSpec spec = specFor(e.getKey());
      float[] v = e.getValue();
      if (v.length != spec.dimension()) {
        throw new IllegalArgumentException(spec.title() + " vectors have " + spec.dimension()
            + " dimensions, got " + v.length);
      }
      SolrVectorFields f = SolrVectorFields.of(spec);
      d.setField(f.raw(), f.encode(v));
      bytes += (long) f.bytesPerElement() * v.length;
      for (String field : new String[] {f.graph(), f.correlation()}) {
        if (field != null) {
          d.setField(field, asList(f.fieldVector(field, v)));
          bytes += 12L * v.length;
        }
      }
      keys.add(spec.key());
    }
    if (!keys.isEmpty()) {
      d.setField(DESCRIPTORS, keys);
    }
    synchronized (writeLock) {
      pending.add(d);
      pendingBytes += bytes;
      uncommitted = true;
      if (pending.size() >= BATCH_DOCS || pendingBytes >= BATCH_BYTES) {
        flush();
      }
    }
  }

  private static void setIfPresent(SolrInputDocument d, String field, String value) {
    if (value != null) {
      d.setField(field, value);
    }
  }

  private static List<Float> asList(float[] v) {
    List<Float> out = new ArrayList<>(v.length);
    for (float x : v) {
      out.add(x);
    }
    return out;
  }

  /** Sends the buffered documents; called with {@link #writeLock} held. */
  private void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    UpdateRequest r = new UpdateRequest();
    r.add(new ArrayList<>(pending));
    send("add " + pending.size() + " images", r);
    pending.clear();
    pendingBytes = 0;
  }

  private void send(String what, UpdateRequest r) throws IOException {
    nodes.call(what + " to collection " + collection, c -> r.process(c, collection));
  }

  @Override
  public void delete(String id) throws IOException {
    synchronized (writeLock) {
      flush();
      send("delete image " + id, new UpdateRequest().deleteById(id));
      uncommitted = true;
    }
  }

  @Override
  public void refresh() throws IOException {
    synchronized (writeLock) {
      flush();
      UpdateRequest r = new UpdateRequest();
      r.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, true);
      send("refresh (soft commit)", r);
    }
  }

  @Override
  public void commit() throws IOException {
    synchronized (writeLock) {
      flush();
      UpdateRequest r = new UpdateRequest();
      r.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, false);
      send("commit", r);
      uncommitted = false;
    }
  }

  // ---- reads ----

  @Override
  public Optional<ImageRecord> get(String id) throws IOException {
    SolrDocument d = nodes.call("get image " + id + " from collection " + collection,
        c -> c.getById(collection, id, fields(RECORD_FIELDS)));
    return d == null || !KIND_IMAGE.equals(d.getFirstValue(KIND)) ? Optional.empty() : Optional.of(record(d));
  }

  @Override
  public Optional<float[]> vector(String id, String descriptor) throws IOException {
    DescriptorSpec spec = descriptors().get(descriptor);
    return spec == null ? Optional.empty() : vector(id, spec);
  }

  @Override
  public Optional<float[]> vector(String id, DescriptorSpec spec) throws IOException {
    SolrVectorFields f = SolrVectorFields.of(spec);
    SolrDocument d = nodes.call("get a vector of image " + id + " from collection " + collection,
        c -> c.getById(collection, id, fields(ID + "," + f.raw())));
    byte[] stored = d == null ? null : rawBytes(d, f.raw());
    return stored == null ? Optional.empty() : Optional.of(f.decode(stored));
  }

  @Override
  public List<SearchHit> search(VectorQuery q) throws IOException {
    DescriptorSpec spec = q.spec();
    SolrVectorFields f = SolrVectorFields.of(spec);
    List<String> fq = filterQueries(q.filter(), q.excludeId());
    fq.add(DESCRIPTORS + ":" + ClientUtils.escapeQueryChars(spec.key()));
    int candidates = q.effectiveCandidates();
    List<Scored> scored;
    if (candidates > MAX_PLAIN_PAGE) {
      // Rankings this deep (the evaluation ranks the whole train set) page through every vector instead
      // of asking the shards for tens of thousands of rows at once.
      scored = scan(q, f, fq);
    } else if (f.hasGraphFor(q.metric())) {
      String field = f.graphField(q.metric());
      float[] target = f.fieldVector(field, q.vector());
      scored = q.exact()
          ? rerank(q, f, bruteForce(field, target, candidates, fq, f.raw()))
          : rerank(q, f, knn(field, target, candidates, fq, f.raw()));
    } else {
      String field = f.candidateField();
      if (field == null || q.exact() || countMatching(fq) <= location.rerank()) {
        scored = scan(q, f, fq);
      } else {
        int depth = Math.max(location.rerank(), candidates);
        scored = rerank(q, f, knn(field, f.fieldVector(field, q.vector()), depth, fq, f.raw()));
      }
    }
    return hits(scored);
  }

  private record Scored(String id, double score, SolrDocument doc) {}

  private static TopK<Scored> topK(VectorQuery q) {
    return new TopK<>(q.k(), q.metric(), Scored::score, Scored::id);
  }

  private SolrDocumentList knn(String field, float[] target, int topK, List<String> fq, String raw)
      throws IOException {
    SolrQuery sq = new SolrQuery("{!knn f=" + field + " topK=" + topK + "}" + vectorLiteral(target));
    fq.forEach(sq::addFilterQuery);
    sq.setRows(topK).setFields(RECORD_FIELDS + "," + raw);
    return query("run a kNN search", sq).getResults();
  }

  /** Every matching document scored on the shards by the graph field's similarity. */
  private SolrDocumentList bruteForce(String field, float[] target, int rows, List<String> fq, String raw)
      throws IOException {
    SolrQuery sq = new SolrQuery("{!func}vectorSimilarity(" + field + "," + vectorLiteral(target) + ")");
    fq.forEach(sq::addFilterQuery);
    sq.setRows(rows).setFields(RECORD_FIELDS + "," + raw);
    return query("run an exact vector search", sq).getResults();
  }

  private List<Scored> rerank(VectorQuery q, SolrVectorFields f, SolrDocumentList docs) {
    ToDoubleFunction<byte[]> scorer = f.scorer(q.metric(), q.vector());
    TopK<Scored> best = topK(q);
    for (SolrDocument d : docs) {
      byte[] v = rawBytes(d, f.raw());
      if (v != null) {
        best.offer(new Scored((String) d.getFirstValue(ID), scorer.applyAsDouble(v), d));
      }
    }
    return best.best();
  }

  /** Fetches every matching vector, page by page, and keeps the best k. */
  private List<Scored> scan(VectorQuery q, SolrVectorFields f, List<String> fq) throws IOException {
    ToDoubleFunction<byte[]> scorer = f.scorer(q.metric(), q.vector());
    TopK<Scored> best = topK(q);
    int page = (int) Math.max(1, Math.min(1000, SCAN_PAGE_BYTES / ((long) f.bytesPerElement() * f.dimension())));
    SolrQuery sq = new SolrQuery("*:*");
    fq.forEach(sq::addFilterQuery);
    sq.setRows(page).setFields(ID + "," + f.raw()).setSort(ID, SolrQuery.ORDER.asc);
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      sq.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse rsp = query("scan vectors", sq);
      for (SolrDocument d : rsp.getResults()) {
        byte[] v = rawBytes(d, f.raw());
        if (v == null) {
          continue;
        }
        best.offer(new Scored((String) d.getFirstValue(ID), scorer.applyAsDouble(v), null));
      }
      String next = rsp.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        break;
      }
      cursor = next;
    }
    return best.best();
  }

  private List<SearchHit> hits(List<Scored> scored) throws IOException {
    List<String> missing = scored.stream().filter(s -> s.doc() == null).map(Scored::id).toList();
    Map<String, SolrDocument> fetched = new HashMap<>();
    for (int from = 0; from < missing.size(); from += 1000) {
      ModifiableSolrParams p = fields(RECORD_FIELDS);
      missing.subList(from, Math.min(missing.size(), from + 1000)).forEach(id -> p.add("id", id));
      // Real-time get by POST: thousands of ids do not fit in a URL.
      QueryRequest r = new QueryRequest(p, SolrRequest.METHOD.POST);
      r.setPath("/get");
      NamedList<Object> rsp = nodes.call("fetch the found images from collection " + collection,
          c -> r.process(c, collection)).getResponse();
      List<SolrDocument> docs = rsp.get("response") instanceof SolrDocumentList list ? list
          : rsp.get("doc") instanceof SolrDocument one ? List.of(one) : List.of();
      for (SolrDocument d : docs) {
        fetched.put((String) d.getFirstValue(ID), d);
      }
    }
    List<SearchHit> hits = new ArrayList<>(scored.size());
    for (Scored s : scored) {
      SolrDocument d = s.doc() != null ? s.doc() : fetched.get(s.id());
      if (d != null) {
        hits.add(new SearchHit(record(d), s.score()));
      }
    }
    return hits;
  }

  private int countMatching(List<String> fq) throws IOException {
    SolrQuery sq = new SolrQuery("*:*").setRows(0);
    fq.forEach(sq::addFilterQuery);
    return (int) Math.min(Integer.MAX_VALUE, query("count images", sq).getResults().getNumFound());
  }

  private static List<String> filterQueries(ImageFilter filter, String excludeId) {
    List<String> fq = new ArrayList<>();
    fq.add(KIND + ":" + KIND_IMAGE);
    if (filter.split() != null) {
      fq.add(SPLIT + ":" + ClientUtils.escapeQueryChars(filter.split()));
    }
    if (filter.label() != null) {
      fq.add(LABEL + ":" + ClientUtils.escapeQueryChars(filter.label()));
    }
    if (excludeId != null) {
      fq.add("-" + ID + ":" + ClientUtils.escapeQueryChars(excludeId));
    }
    return fq;
  }

  private static String vectorLiteral(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(']').toString();
  }

  @Override
  public List<ImageRecord> list(ImageFilter filter, int offset, int limit) throws IOException {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    if (limit == 0) {
      return List.of();
    }
    SolrQuery sq = new SolrQuery("*:*").setFields(RECORD_FIELDS);
    filterQueries(filter, null).forEach(sq::addFilterQuery);
    sq.addSort(SPLIT, SolrQuery.ORDER.asc).addSort(LABEL, SolrQuery.ORDER.asc).addSort(PATH, SolrQuery.ORDER.asc)
        .addSort(ID, SolrQuery.ORDER.asc);
    List<ImageRecord> out = new ArrayList<>();
    if ((long) offset + limit <= MAX_PLAIN_PAGE) {
      sq.setStart(offset).setRows(limit);
      for (SolrDocument d : query("list images", sq).getResults()) {
        out.add(record(d));
      }
      return out;
    }
    // Deep listing: a cursor keeps every request small, however far the offset.
    sq.setRows(1000);
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    long seen = 0;
    while (out.size() < limit) {
      sq.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse rsp = query("list images", sq);
      for (SolrDocument d : rsp.getResults()) {
        if (seen++ >= offset && out.size() < limit) {
          out.add(record(d));
        }
      }
      String next = rsp.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        break;
      }
      cursor = next;
    }
    return out;
  }

  /** Solr 9 stores float32 graphs only; disk size is the cluster's business (its admin UI shows it). */
  @Override
  public IndexInfo info() throws IOException {
    List<IndexInfo.Descriptor> out = new ArrayList<>();
    for (DescriptorSpec spec : descriptors().values()) {
      List<Metric> graphMetrics = VectorLayout.of(spec).graphMetrics();
      List<String> fq = filterQueries(ImageFilter.ALL, null);
      fq.add(DESCRIPTORS + ":" + ClientUtils.escapeQueryChars(spec.key()));
      out.add(new IndexInfo.Descriptor(spec, graphMetrics, graphMetrics.isEmpty() ? null : Quantization.NONE,
          countMatching(fq), -1));
    }
    return new IndexInfo(location.toString(), "solr", count(ImageFilter.ALL), -1, out);
  }

  /** Pages through the collection with a cursor (sorted by id), a thousand images at a time. */
  @Override
  public void forEachImage(ImageFilter filter, ImageAction action) throws IOException {
    SolrQuery sq = new SolrQuery("*:*").setFields(RECORD_FIELDS).setRows(1000);
    filterQueries(filter, null).forEach(sq::addFilterQuery);
    sq.addSort(ID, SolrQuery.ORDER.asc);
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      sq.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse rsp = query("list images", sq);
      for (SolrDocument d : rsp.getResults()) {
        action.accept(record(d));
      }
      String next = rsp.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
  }

  @Override
  public int count(ImageFilter filter) throws IOException {
    return countMatching(filterQueries(filter, null));
  }

  @Override
  public Map<String, Map<String, Integer>> counts() throws IOException {
    SolrQuery sq = new SolrQuery("*:*").addFilterQuery(KIND + ":" + KIND_IMAGE).setRows(0).setFacet(true)
        .setFacetLimit(-1).setFacetMinCount(1).setFacetMissing(true);
    sq.addFacetPivotField(SPLIT + "," + LABEL);
    QueryResponse rsp = query("count images per split and class", sq);
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    NamedList<List<PivotField>> pivots = rsp.getFacetPivot();
    List<PivotField> splits = pivots == null ? null : pivots.get(SPLIT + "," + LABEL);
    if (splits == null) {
      return out;
    }
    for (PivotField split : splits) {
      Map<String, Integer> byLabel = out.computeIfAbsent(nameOf(split.getValue()), x -> new TreeMap<>());
      List<PivotField> labels = split.getPivot();
      int labelled = 0;
      if (labels != null) {
        for (PivotField label : labels) {
          byLabel.merge(nameOf(label.getValue()), label.getCount(), Integer::sum);
          labelled += label.getCount();
        }
      }
      if (labelled < split.getCount()) {
        byLabel.merge("", split.getCount() - labelled, Integer::sum);
      }
      if (byLabel.isEmpty()) {
        out.remove(nameOf(split.getValue()));
      }
    }
    return out;
  }

  private static String nameOf(Object facetValue) {
    return facetValue == null ? "" : facetValue.toString();
  }

  private QueryResponse query(String what, SolrQuery sq) throws IOException {
    // POST: a query vector does not fit in a URL (a 512-float vector is ~6 KB).
    QueryRequest r = new QueryRequest(sq, SolrRequest.METHOD.POST);
    return nodes.call(what + " in collection " + collection, c -> r.process(c, collection));
  }

  private static ModifiableSolrParams fields(String fl) {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("fl", fl);
    return p;
  }

  /** The stored value of a raw vector field, or null. */
  private static byte[] rawBytes(SolrDocument d, String field) {
    Object value = d.getFirstValue(field);
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    return null;
  }

  private static ImageRecord record(SolrDocument d) throws IOException {
    String attr = (String) d.getFirstValue(ATTRIBUTION);
    Attribution attribution = attr == null ? null : JSON.readValue(attr, Attribution.class);
    Collection<Object> keys = d.getFieldValues(DESCRIPTORS);
    Set<String> descriptors = keys == null ? Set.of()
        : keys.stream().map(Object::toString).collect(Collectors.toSet());
    return new ImageRecord((String) d.getFirstValue(ID), (String) d.getFirstValue(PATH),
        (String) d.getFirstValue(HASH), number(d, SIZE).longValue(), number(d, WIDTH).intValue(),
        number(d, HEIGHT).intValue(), (String) d.getFirstValue(SPLIT), (String) d.getFirstValue(LABEL), attribution,
        descriptors);
  }

  private static Number number(SolrDocument d, String field) {
    Object v = d.getFirstValue(field);
    return v instanceof Number n ? n : 0;
  }

  /** Sends what is buffered and commits it when this instance wrote anything, then disconnects. */
  @Override
  public void close() throws IOException {
    try {
      boolean write;
      synchronized (writeLock) {
        write = uncommitted || !pending.isEmpty();
      }
      if (write) {
        commit();
      }
    } finally {
      nodes.close();
    }
  }
}
