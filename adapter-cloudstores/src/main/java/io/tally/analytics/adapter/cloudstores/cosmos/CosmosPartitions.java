package io.tally.analytics.adapter.cloudstores.cosmos;

import static io.tally.analytics.adapter.cloudstores.BackendFailures.call;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.analytics.adapter.cloudstores.EventAttributes;
import io.tally.analytics.adapter.cloudstores.EventPartitions;
import io.tally.analytics.adapter.cloudstores.KeyParts;
import io.tally.analytics.adapter.cloudstores.OccurredKey;
import io.tally.analytics.adapter.cloudstores.PartitionRead;
import io.tally.analytics.adapter.cloudstores.StoredKey;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.EventField;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Cosmos DB side of the event store, in one container partitioned on the synthetic key {@code /pk}:
 *
 * <pre>
 *   event   pk = e|tenant|project|day   id = event id     expires_at (epoch seconds), ttl (seconds, for the TTL)
 *   claim   pk = c|tenant               id = event id     part, okey, event_id
 *   marker  pk = m|tenant               id = day:project  project_id, day
 * </pre>
 *
 * Inserts are conditional creates (409 = duplicate). Every query names its partition key twice, in its text
 * ({@code c.pk = @pk}) and in the request options, so it never fans out; pages are read with the SDK's
 * continuation tokens, and a page across partitions resumes at the core keyset cursor. Per-item {@code ttl} needs
 * the container's default TTL on (-1), which {@link CosmosStores} sets when it creates the container.
 */
final class CosmosPartitions implements EventPartitions {
  static final String EXPIRES_AT = "expires_at";

  private final CosmosClient client;
  private final CosmosContainer container;

  /**
   * @param client a client the store owns from now on
   * @param container the route's container
   */
  public CosmosPartitions(CosmosClient client, CosmosContainer container) {
    this.client = client;
    this.container = container;
  }

  @Override
  public String backend() {
    return "cosmos";
  }

  @Override
  public String partitionOf(AnalyticsEvent e) {
    return partition(e.tenantId(), e.projectId(), LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC));
  }

  private static String partition(String tenant, String project, LocalDate day) {
    return "e|" + KeyParts.encode(tenant) + "|" + KeyParts.encode(project) + "|" + day;
  }

  @Override
  public List<String> partitionsOf(String tenant, String project, LocalDate day) {
    return List.of(partition(tenant, project, day));
  }

  @Override
  public void mark(String tenant, String project, LocalDate day) {
    ObjectNode doc = doc(KeyParts.documentId(day + ":" + project), "m|" + KeyParts.encode(tenant));
    doc.put("project_id", project).put("day", day.toString());
    call(backend(), "mark", () -> container.upsertItem(doc, new PartitionKey(doc.get("pk").asText()),
        new CosmosItemRequestOptions()));
  }

  @Override
  public List<PartitionMark> marks(String tenant) {
    String pk = "m|" + KeyParts.encode(tenant);
    List<PartitionMark> marks = new ArrayList<>();
    for (JsonNode n : query("marks", pk, new SqlQuerySpec("SELECT c.project_id, c.day FROM c WHERE c.pk = @pk",
        new SqlParameter("@pk", pk)), 1000)) {
      marks.add(new PartitionMark(n.get("project_id").asText(), Optional.of(LocalDate.parse(n.get("day").asText()))));
    }
    return marks;
  }

  @Override
  public boolean createEvent(String partition, AnalyticsEvent e, Instant expiresAt) {
    ObjectNode doc = doc(KeyParts.documentId(e.eventId()), partition);
    EventAttributes.of(e).forEach(doc::put);
    doc.put(EXPIRES_AT, expiresAt.getEpochSecond());
    long left = Duration.between(e.occurredAt(), expiresAt).getSeconds();
    if (expiresAt.isBefore(io.tally.analytics.core.analyticsevent.Retention.NEVER)) {
      // Cosmos counts ttl from the write: at least a second, and reads hide it from expires_at on anyway.
      doc.put("ttl", (int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
    }
    return createUnlessExists("ingest", doc);
  }

  @Override
  public boolean createClaim(StoredKey key) {
    ObjectNode doc = doc(KeyParts.documentId(key.eventId()), claimPartition(key.tenantId()));
    doc.put("part", key.partition()).put("okey", key.occurredKey()).put("event_id", key.eventId());
    return createUnlessExists("claim", doc);
  }

  private boolean createUnlessExists(String operation, ObjectNode doc) {
    return call(backend(), operation, () -> {
      try {
        container.createItem(doc, new PartitionKey(doc.get("pk").asText()), new CosmosItemRequestOptions());
        return true;
      } catch (CosmosException e) {
        if (e.getStatusCode() == 409) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public Optional<StoredKey> readClaim(String tenant, String eventId) {
    return call(backend(), "read claim", () -> {
      try {
        JsonNode d = container.readItem(KeyParts.documentId(eventId), new PartitionKey(claimPartition(tenant)),
            JsonNode.class).getItem();
        return Optional.of(new StoredKey(tenant, d.get("part").asText(), d.get("okey").asText(), eventId));
      } catch (CosmosException e) {
        if (e.getStatusCode() == 404) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  @Override
  public void deleteClaim(String tenant, String eventId) {
    deleteIfExists("delete claim", KeyParts.documentId(eventId), claimPartition(tenant));
  }

  @Override
  public boolean deleteEvent(StoredKey key) {
    return deleteIfExists("delete", KeyParts.documentId(key.eventId()), key.partition());
  }

  private boolean deleteIfExists(String operation, String id, String pk) {
    return call(backend(), operation, () -> {
      try {
        container.deleteItem(id, new PartitionKey(pk), new CosmosItemRequestOptions());
        return true;
      } catch (CosmosException e) {
        if (e.getStatusCode() == 404) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public Iterator<AnalyticsEvent> read(String partition, PartitionRead read) {
    SqlQuerySpec spec = select("SELECT * FROM c", partition, read, true, " ORDER BY c.occurred_key, c.event_id");
    Iterator<JsonNode> docs = query("query", partition, spec, read.pageSize()).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return call(backend(), "query", docs::hasNext);
      }

      @Override
      public AnalyticsEvent next() {
        return event(docs.next());
      }
    };
  }

  @Override
  public long count(String partition, PartitionRead read) {
    SqlQuerySpec spec = select("SELECT VALUE COUNT(1) FROM c", partition, read.fromStart(), false, "");
    return call(backend(), "count", () -> {
      long n = 0;
      for (JsonNode v : query("count", partition, spec, 1000)) {
        // The SDK hands a VALUE query's scalars back wrapped as {"_value": n}.
        n += (v.has("_value") ? v.get("_value") : v).asLong();
      }
      return n;
    });
  }

  @Override
  public List<StoredKey> keysOfUser(String tenant, String userId, List<String> partitions) {
    List<StoredKey> keys = new ArrayList<>();
    for (String p : partitions) {
      SqlQuerySpec spec = new SqlQuerySpec("SELECT c.occurred_key, c.event_id FROM c WHERE c.pk = @pk AND c.user_id = @u",
          new SqlParameter("@pk", p), new SqlParameter("@u", userId));
      for (JsonNode n : query("delete by user", p, spec, 1000)) {
        keys.add(new StoredKey(tenant, p, n.get("occurred_key").asText(), n.get("event_id").asText()));
      }
    }
    return keys;
  }

  @Override
  public void close() {
    client.close();
  }

  /** A query of one partition: the key is in the text and in the options, so Cosmos never fans it out. */
  private Iterable<JsonNode> query(String operation, String partition, SqlQuerySpec spec, int pageSize) {
    CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(partition));
    return call(backend(), operation, () -> {
      Iterable<FeedResponse<JsonNode>> pages = container.queryItems(spec, options, JsonNode.class)
          .iterableByPage(pageSize);
      return () -> new Iterator<JsonNode>() {
        private final Iterator<FeedResponse<JsonNode>> feed = pages.iterator();
        private Iterator<JsonNode> page = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!page.hasNext() && feed.hasNext()) {
            page = feed.next().getResults().iterator();
          }
          return page.hasNext();
        }

        @Override
        public JsonNode next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return page.next();
        }
      };
    });
  }

  private static SqlQuerySpec select(String head, String partition, PartitionRead read, boolean withCursor,
      String tail) {
    StringBuilder sql = new StringBuilder(head).append(" WHERE c.pk = @pk AND c.occurred_key >= @lo AND c.occurred_key < @hi");
    List<SqlParameter> params = new ArrayList<>(List.of(new SqlParameter("@pk", partition),
        new SqlParameter("@lo", read.lowerKey()), new SqlParameter("@hi", read.upperKey())));
    if (withCursor && read.after().isPresent()) {
      sql.append(" AND (c.occurred_key > @ak OR (c.occurred_key = @ak AND c.event_id > @aid))");
      params.add(new SqlParameter("@ak", OccurredKey.of(read.after().get().occurredAt())));
      params.add(new SqlParameter("@aid", read.after().get().eventId()));
    }
    int i = 0;
    for (Map.Entry<EventField, String> f : read.fields().entrySet()) {
      // Field names come from the EventField enum, never from the request.
      sql.append(" AND c[\"").append(f.getKey().wireName()).append("\"] = @f").append(i);
      params.add(new SqlParameter("@f" + i, f.getValue()));
      i++;
    }
    read.now().ifPresent(now -> {
      sql.append(" AND c.").append(EXPIRES_AT).append(" > @now");
      params.add(new SqlParameter("@now", now.getEpochSecond()));
    });
    return new SqlQuerySpec(sql.append(tail).toString(), params);
  }

  private static ObjectNode doc(String id, String pk) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("id", id).put("pk", pk);
    return doc;
  }

  private static String claimPartition(String tenant) {
    return "c|" + KeyParts.encode(tenant);
  }

  private static AnalyticsEvent event(JsonNode doc) {
    Map<String, String> a = new HashMap<>();
    doc.fields().forEachRemaining(f -> {
      if (f.getValue().isTextual()) {
        a.put(f.getKey(), f.getValue().asText());
      }
    });
    return EventAttributes.event(a);
  }
}
