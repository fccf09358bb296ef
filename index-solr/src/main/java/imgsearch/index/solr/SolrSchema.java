package imgsearch.index.solr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.schema.FieldTypeDefinition;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

/** Creates the collection with the shipped configset and adds descriptors' vector fields to its schema. */
final class SolrSchema {

  /** Where the configset's files are on the classpath. */
  static final String CONFIGSET_RESOURCES = "/imgsearch/index/solr/configset/";
  /** The configset's files, in the order they are zipped. */
  static final List<String> CONFIGSET_FILES = List.of("solrconfig.xml", "managed-schema.xml");
  /** Seconds a schema change may take to reach every replica. */
  private static final int SCHEMA_UPDATE_TIMEOUT_SECONDS = 60;

  private final SolrNodes nodes;
  private final String collection;
  private final Set<String> readyFields = new HashSet<>();

  SolrSchema(SolrNodes nodes, String collection) {
    this.nodes = nodes;
    this.collection = collection;
  }

  /** The configset name used for a collection: each collection gets its own, as its schema grows. */
  static String configSetName(String collection) {
    return "imgsearch-" + collection;
  }

  /** Creates the collection, and uploads its configset first, unless the collection exists. */
  void ensureCollection(int shards, int replicas) throws IOException {
    if (collectionExists()) {
      return;
    }
    String configName = configSetName(collection);
    List<String> configSets = nodes.call("list configsets",
        c -> new ConfigSetAdminRequest.List().process(c).getConfigSets());
    if (!configSets.contains(configName)) {
      byte[] zip = configSetZip();
      nodes.call("upload configset " + configName, c -> new ConfigSetAdminRequest.Upload()
          .setConfigSetName(configName)
          .setUploadStream(new ContentStreamBase.ByteArrayStream(zip, configName + ".zip", "application/zip"))
          .process(c));
    }
    int live = nodes.liveNodeCount();
    int numShards = shards > 0 ? shards : Math.max(1, live);
    int replicationFactor = replicas > 0 ? replicas : (live >= 2 ? 2 : 1);
    try {
      nodes.call("create collection " + collection, c -> {
        CollectionAdminRequest.Create create =
            CollectionAdminRequest.createCollection(collection, configName, numShards, replicationFactor);
        waitForFinalState(create);
        return create.process(c);
      });
    } catch (IOException e) {
      if (!collectionExists()) { // else another client created it at the same time: fine
        throw e;
      }
    }
  }

  /**
   * Makes the Collections API answer only once every replica is active, so that the first documents are
   * not sent to replicas still starting. SolrJ 9.10 deprecates the setter, Solr 9 still honours it.
   */
  @SuppressWarnings("deprecation")
  private static void waitForFinalState(CollectionAdminRequest.Create create) {
    create.setWaitForFinalState(true);
  }

  /** Whether the collection exists on the cluster. */
  boolean collectionExists() throws IOException {
    return nodes.call("list collections", CollectionAdminRequest::listCollections).contains(collection);
  }

  /** The shipped configset as a zip, the form the Configset API takes. */
  static byte[] configSetZip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String file : CONFIGSET_FILES) {
        try (InputStream in = SolrSchema.class.getResourceAsStream(CONFIGSET_RESOURCES + file)) {
          if (in == null) {
            throw new IllegalStateException("configset file " + file + " is missing from the classpath");
          }
          zip.putNextEntry(new ZipEntry(file));
          in.transferTo(zip);
          zip.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Adds the DenseVectorFields (and their types) a descriptor needs, where missing. */
  synchronized void ensureVectorFields(SolrVectorFields f) throws IOException {
    List<VectorField> wanted = new ArrayList<>();
    if (f.graph() != null) {
      wanted.add(new VectorField(f.graph(), f.dimension(), f.graphSimilarity()));
    }
    if (f.correlation() != null) {
      wanted.add(new VectorField(f.correlation(), f.dimension(),
          SolrVectorFields.similarityName(f.layout().correlationSimilarity())));
    }
    wanted.removeIf(v -> readyFields.contains(v.name()));
    if (wanted.isEmpty()) {
      return;
    }
    for (int attempt = 0; ; attempt++) {
      Set<String> types = new HashSet<>();
      nodes.call("read the field types of " + collection, c -> new SchemaRequest.FieldTypes().process(c, collection))
          .getFieldTypes().forEach(t -> types.add(String.valueOf(t.getAttributes().get("name"))));
      Set<String> fields = new HashSet<>();
      nodes.call("read the fields of " + collection, c -> new SchemaRequest.Fields().process(c, collection))
          .getFields().forEach(fd -> fields.add(String.valueOf(fd.get("name"))));
      List<SchemaRequest.Update> updates = new ArrayList<>();
      for (VectorField v : wanted) {
        if (types.add(v.type())) {
          updates.add(new SchemaRequest.AddFieldType(v.typeDefinition()));
        }
        if (!fields.contains(v.name())) {
          updates.add(new SchemaRequest.AddField(v.fieldDefinition()));
        }
      }
      if (updates.isEmpty()) {
        wanted.forEach(v -> readyFields.add(v.name()));
        return;
      }
      ModifiableSolrParams params = new ModifiableSolrParams();
      params.set("updateTimeoutSecs", SCHEMA_UPDATE_TIMEOUT_SECONDS);
      Object errors;
      try {
        errors = nodes.call("add vector fields to the schema of " + collection,
            c -> new SchemaRequest.MultiUpdate(updates, params).process(c, collection)).getResponse().get("errors");
      } catch (IOException e) {
        if (attempt > 0) {
          throw e;
        }
        continue; // a concurrent writer may have added the same fields: re-read once
      }
      if (errors == null) {
        wanted.forEach(v -> readyFields.add(v.name()));
        return;
      }
      if (attempt > 0) {
        throw new IOException("Solr refused the vector fields for collection " + collection + ": "
            + describe(errors));
      }
    }
  }

  /** A DenseVectorField with an HNSW graph; its type is named after dimension and similarity. */
  private record VectorField(String name, int dimension, String similarity) {

    String type() {
      return SolrVectorFields.typeName(dimension, similarity);
    }

    FieldTypeDefinition typeDefinition() {
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("name", type());
      attrs.put("class", "solr.DenseVectorField");
      attrs.put("vectorDimension", dimension);
      attrs.put("similarityFunction", similarity);
      attrs.put("knnAlgorithm", "hnsw");
      FieldTypeDefinition def = new FieldTypeDefinition();
      def.setAttributes(attrs);
      return def;
    }

    Map<String, Object> fieldDefinition() {
      Map<String, Object> field = new LinkedHashMap<>();
      field.put("name", name);
      field.put("type", type());
      field.put("indexed", true);
      field.put("stored", false);
      return field;
    }
  }

  private static String describe(Object errors) {
    if (errors instanceof List<?> list && !list.isEmpty()) {
      Object first = list.get(0);
      if (first instanceof NamedList<?> nl && nl.get("errorMessages") != null) {
        return String.valueOf(nl.get("errorMessages"));
      }
      if (first instanceof Map<?, ?> m && m.get("errorMessages") != null) {
        return String.valueOf(m.get("errorMessages"));
      }
    }
    return String.valueOf(errors);
  }
}
