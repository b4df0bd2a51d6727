package io.tally.analytics.adapter.cloudstores.dynamodb;

import static io.tally.analytics.adapter.cloudstores.BackendFailures.call;

import io.tally.analytics.adapter.cloudstores.EventAttributes;
import io.tally.analytics.adapter.cloudstores.EventPartitions;
import io.tally.analytics.adapter.cloudstores.KeyParts;
import io.tally.analytics.adapter.cloudstores.OccurredKey;
import io.tally.analytics.adapter.cloudstores.PartitionRead;
import io.tally.analytics.adapter.cloudstores.StoredKey;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.EventField;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The DynamoDB side of the event store, in one table ({@link DynamoDbTable} has the schema):
 *
 * <pre>
 *   event   pk = e#tenant#project#day#shard   sk = occurred_key#event_id   (+ user_key = tenant#user for the GSI)
 *   claim   pk = c#tenant#event_id            sk = claim                    part, okey
 *   marker  pk = m#tenant                     sk = day#project
 * </pre>
 *
 * Components are percent-encoded ({@link KeyParts}). The shard ({@value #SHARDS} per tenant, project and day, from
 * the event id) spreads one busy day over several partitions. Inserts are conditional puts
 * ({@code attribute_not_exists}), pages resume with {@code ExclusiveStartKey} at the cursor's sort key, expiry is
 * the TTL attribute {@code expires_at} (epoch seconds) and a filter on it, and erasure by user queries the
 * {@code by_user} index. Nothing needs a transaction. Erasure deletes item by item with {@code ALL_OLD} rather than
 * with {@code BatchWriteItem}: the index is eventually consistent, so it may still list an event already deleted,
 * and only a per-item delete tells which ones really went (the count the API returns).
 */
final class DynamoDbPartitions implements EventPartitions {
  /** Shards per (tenant, project, day); changing it strands events written under the old count. */
  static final int SHARDS = 4;
  static final String PK = "pk";
  static final String SK = "sk";
  static final String USER_KEY = "user_key";
  static final String EXPIRES_AT = "expires_at";
  static final String BY_USER = "by_user";
  private static final String CLAIM = "claim";

  private final DynamoDbClient client;
  private final String table;

  /**
   * @param client a client the store owns from now on (closed by {@link #close()})
   * @param table the table name
   */
  public DynamoDbPartitions(DynamoDbClient client, String table) {
    this.client = client;
    this.table = table;
  }

  @Override
  public String backend() {
    return "dynamodb";
  }

  @Override
  public String partitionOf(AnalyticsEvent e) {
    int shard = Math.floorMod(e.eventId().hashCode(), SHARDS);
    return partition(e.tenantId(), e.projectId(), LocalDate.ofInstant(e.occurredAt(), java.time.ZoneOffset.UTC), shard);
  }

  @Override
  public List<String> partitionsOf(String tenant, String project, LocalDate day) {
    List<String> all = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      all.add(partition(tenant, project, day, shard));
    }
    return all;
  }

  private static String partition(String tenant, String project, LocalDate day, int shard) {
    return "e#" + KeyParts.encode(tenant) + "#" + KeyParts.encode(project) + "#" + day + "#" + shard;
  }

  @Override
  public void mark(String tenant, String project, LocalDate day) {
    call(backend(), "mark", () -> client.putItem(b -> b.tableName(table).item(Map.of(
        PK, s("m#" + KeyParts.encode(tenant)), SK, s(day + "#" + KeyParts.encode(project))))));
  }

  @Override
  public List<PartitionMark> marks(String tenant) {
    return call(backend(), "marks", () -> {
      List<PartitionMark> marks = new ArrayList<>();
      QueryRequest q = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p")
          .expressionAttributeValues(Map.of(":p", s("m#" + KeyParts.encode(tenant)))).consistentRead(true).build();
      for (Map<String, AttributeValue> item : client.queryPaginator(q).items()) {
        String[] parts = item.get(SK).s().split("#", 2);
        marks.add(new PartitionMark(KeyParts.decode(parts[1]), Optional.of(LocalDate.parse(parts[0]))));
      }
      return marks;
    });
  }

  @Override
  public boolean createEvent(String partition, AnalyticsEvent e, Instant expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>();
    EventAttributes.of(e).forEach((k, v) -> item.put(k, s(v)));
    StoredKey key = StoredKey.of(partition, e);
    item.put(PK, s(partition));
    item.put(SK, s(key.sortKey()));
    e.userId().ifPresent(u -> item.put(USER_KEY, s(userKey(e.tenantId(), u))));
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    return putIfAbsent(item, "ingest");
  }

  @Override
  public boolean createClaim(StoredKey key) {
    return putIfAbsent(Map.of(PK, s(claimKey(key.tenantId(), key.eventId())), SK, s(CLAIM),
        "part", s(key.partition()), "okey", s(key.occurredKey())), "claim");
  }

  private boolean putIfAbsent(Map<String, AttributeValue> item, String operation) {
    return call(backend(), operation, () -> {
      try {
        client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        return true;
      } catch (ConditionalCheckFailedException exists) {
        return false;
      }
    });
  }

  @Override
  public Optional<StoredKey> readClaim(String tenant, String eventId) {
    return call(backend(), "read claim", () -> {
      Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
          .key(Map.of(PK, s(claimKey(tenant, eventId)), SK, s(CLAIM)))).item();
      if (item == null || item.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new StoredKey(tenant, item.get("part").s(), item.get("okey").s(), eventId));
    });
  }

  @Override
  public void deleteClaim(String tenant, String eventId) {
    call(backend(), "delete claim", () -> client.deleteItem(b -> b.tableName(table)
        .key(Map.of(PK, s(claimKey(tenant, eventId)), SK, s(CLAIM)))));
  }

  @Override
  public boolean deleteEvent(StoredKey key) {
    return call(backend(), "delete", () -> {
      Map<String, AttributeValue> old = client.deleteItem(b -> b.tableName(table)
          .key(Map.of(PK, s(key.partition()), SK, s(key.sortKey()))).returnValues(ReturnValue.ALL_OLD)).attributes();
      return old != null && !old.isEmpty();
    });
  }

  @Override
  public Iterator<AnalyticsEvent> read(String partition, PartitionRead read) {
    Optional<String> after = read.afterSortKey().filter(a -> a.compareTo(read.lowerKey()) >= 0);
    if (after.isPresent() && after.get().compareTo(read.upperKey()) >= 0) {
      return Collections.emptyIterator();
    }
    QueryRequest.Builder q = query(partition, read).limit(read.pageSize());
    after.ifPresent(a -> q.exclusiveStartKey(Map.of(PK, s(partition), SK, s(a))));
    Iterator<Map<String, AttributeValue>> items =
        call(backend(), "query", () -> client.queryPaginator(q.build()).items().iterator());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return call(backend(), "query", items::hasNext);
      }

      @Override
      public AnalyticsEvent next() {
        return event(items.next());
      }
    };
  }

  @Override
  public long count(String partition, PartitionRead read) {
    return call(backend(), "count", () -> {
      long n = 0;
      for (var page : client.queryPaginator(query(partition, read).select(Select.COUNT).build())) {
        n += page.count();
      }
      return n;
    });
  }

  @Override
  public List<StoredKey> keysOfUser(String tenant, String userId, List<String> partitions) {
    return call(backend(), "delete by user", () -> {
      List<StoredKey> keys = new ArrayList<>();
      QueryRequest q = QueryRequest.builder().tableName(table).indexName(BY_USER)
          .keyConditionExpression("user_key = :u")
          .expressionAttributeValues(Map.of(":u", s(userKey(tenant, userId)))).build();
      for (Map<String, AttributeValue> item : client.queryPaginator(q).items()) {
        String sk = item.get(SK).s();
        int hash = sk.indexOf('#');
        keys.add(new StoredKey(tenant, item.get(PK).s(), sk.substring(0, hash), sk.substring(hash + 1)));
      }
      return keys;
    });
  }

  @Override
  public void close() {
    client.close();
  }

  private QueryRequest.Builder query(String partition, PartitionRead read) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":p", s(partition));
    values.put(":lo", s(read.lowerKey()));
    // Event sort keys are occurred_key#event_id, so "<= upper occurred_key" excludes events at the upper bound.
    values.put(":hi", s(read.upperKey()));
    List<String> conditions = new ArrayList<>();
    int i = 0;
    for (Map.Entry<EventField, String> f : read.fields().entrySet()) {
      names.put("#f" + i, f.getKey().wireName());
      values.put(":f" + i, s(f.getValue()));
      conditions.add("#f" + i + " = :f" + i);
      i++;
    }
    read.now().ifPresent(now -> {
      names.put("#exp", EXPIRES_AT);
      values.put(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
      conditions.add("#exp > :now");
    });
    QueryRequest.Builder q = QueryRequest.builder().tableName(table)
        .keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
        .expressionAttributeValues(values).consistentRead(true);
    if (!conditions.isEmpty()) {
      q.filterExpression(String.join(" AND ", conditions)).expressionAttributeNames(names);
    }
    return q;
  }

  private static AnalyticsEvent event(Map<String, AttributeValue> item) {
    Map<String, String> a = new HashMap<>();
    item.forEach((k, v) -> {
      if (v.s() != null) {
        a.put(k, v.s());
      }
    });
    return EventAttributes.event(a);
  }

  private static String claimKey(String tenant, String eventId) {
    return "c#" + KeyParts.encode(tenant) + "#" + KeyParts.encode(eventId);
  }

  private static String userKey(String tenant, String user) {
    return KeyParts.encode(tenant) + "#" + KeyParts.encode(user);
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

}
