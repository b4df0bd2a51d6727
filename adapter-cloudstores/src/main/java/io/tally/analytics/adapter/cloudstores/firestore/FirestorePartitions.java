package io.tally.analytics.adapter.cloudstores.firestore;

import static io.tally.analytics.adapter.cloudstores.BackendFailures.call;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import io.tally.analytics.adapter.cloudstores.BackendFailures;
import io.tally.analytics.adapter.cloudstores.EventAttributes;
import io.tally.analytics.adapter.cloudstores.EventPartitions;
import io.tally.analytics.adapter.cloudstores.KeyParts;
import io.tally.analytics.adapter.cloudstores.PartitionRead;
import io.tally.analytics.adapter.cloudstores.StoredKey;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.EventField;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The Firestore side of the event store. A collection per tenant and project, document id = event id
 * ({@link KeyParts#documentId}), created with {@code create()} so a redelivery is a duplicate, not an overwrite:
 *
 * <pre>
 *   {collection_path}/{tenant}/projects/{project}              marker (project_id)
 *   {collection_path}/{tenant}/projects/{project}/events/{id}  the event; expires_at is a Timestamp for the TTL policy
 *   {collection_path}/{tenant}/claims/{id}                     claim: part, okey, event_id
 * </pre>
 *
 * Reads are equality filters plus the ordered range {@code occurred_key, event_id} and {@code expires_at > now},
 * paged with {@code startAfter}; counts are Firestore {@code count()} aggregations. The composite indexes these
 * queries need ship as {@code firestore.indexes.json} ({@link FirestoreQueryShape}).
 */
final class FirestorePartitions implements EventPartitions {
  static final String EXPIRES_AT = "expires_at";
  /** Firestore's limit of writes per batch. */
  static final int MAX_BATCH_WRITES = 500;

  private final Firestore db;
  private final String root;

  /**
   * @param db a client the store owns from now on
   * @param root the route's {@code collection_path}
   */
  public FirestorePartitions(Firestore db, String root) {
    this.db = db;
    this.root = root;
  }

  @Override
  public String backend() {
    return "firestore";
  }

  private String tenantPath(String tenant) {
    return root + "/" + KeyParts.documentId(tenant);
  }

  @Override
  public String partitionOf(AnalyticsEvent e) {
    return partition(e.tenantId(), e.projectId());
  }

  private String partition(String tenant, String project) {
    return tenantPath(tenant) + "/projects/" + KeyParts.documentId(project) + "/events";
  }

  @Override
  public List<String> partitionsOf(String tenant, String project, LocalDate day) {
    return List.of(partition(tenant, project));
  }

  @Override
  public void mark(String tenant, String project, LocalDate day) {
    await("mark", db.collection(tenantPath(tenant) + "/projects").document(KeyParts.documentId(project))
        .set(Map.of("project_id", project)));
  }

  @Override
  public List<PartitionMark> marks(String tenant) {
    List<PartitionMark> marks = new ArrayList<>();
    for (QueryDocumentSnapshot d : await("marks", db.collection(tenantPath(tenant) + "/projects").get())
        .getDocuments()) {
      marks.add(new PartitionMark(d.getString("project_id"), Optional.empty()));
    }
    return marks;
  }

  @Override
  public boolean createEvent(String partition, AnalyticsEvent e, Instant expiresAt) {
    Map<String, Object> doc = new HashMap<>(EventAttributes.of(e));
    doc.put(EXPIRES_AT, timestamp(expiresAt));
    return createUnlessExists("ingest", db.collection(partition).document(KeyParts.documentId(e.eventId())), doc);
  }

  @Override
  public boolean createClaim(StoredKey key) {
    return createUnlessExists("claim", claims(key.tenantId()).document(KeyParts.documentId(key.eventId())),
        Map.of("part", key.partition(), "okey", key.occurredKey(), "event_id", key.eventId()));
  }

  private boolean createUnlessExists(String operation, com.google.cloud.firestore.DocumentReference ref,
      Map<String, Object> doc) {
    try {
      ref.create(doc).get();
      return true;
    } catch (ExecutionException e) {
      if (hasCode(e, StatusCode.Code.ALREADY_EXISTS)) {
        return false;
      }
      throw BackendFailures.failure(backend(), operation, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BackendFailures.failure(backend(), operation, e);
    }
  }

  @Override
  public Optional<StoredKey> readClaim(String tenant, String eventId) {
    DocumentSnapshot d = await("read claim", claims(tenant).document(KeyParts.documentId(eventId)).get());
    if (!d.exists()) {
      return Optional.empty();
    }
    return Optional.of(new StoredKey(tenant, d.getString("part"), d.getString("okey"), eventId));
  }

  @Override
  public void deleteClaim(String tenant, String eventId) {
    await("delete claim", claims(tenant).document(KeyParts.documentId(eventId)).delete());
  }

  @Override
  public boolean deleteEvent(StoredKey key) {
    // The client offers no "delete if it exists" precondition; a read first tells whether there was one.
    com.google.cloud.firestore.DocumentReference ref =
        db.collection(key.partition()).document(KeyParts.documentId(key.eventId()));
    if (!await("delete", ref.get()).exists()) {
      return false;
    }
    await("delete", ref.delete());
    return true;
  }

  @Override
  public long deleteEventsAndClaims(List<StoredKey> keys) {
    // Two writes per event (the event and its claim), in batches of at most 500 writes.
    int perBatch = MAX_BATCH_WRITES / 2;
    for (int from = 0; from < keys.size(); from += perBatch) {
      WriteBatch batch = db.batch();
      for (StoredKey key : keys.subList(from, Math.min(keys.size(), from + perBatch))) {
        batch.delete(db.collection(key.partition()).document(KeyParts.documentId(key.eventId())));
        batch.delete(claims(key.tenantId()).document(KeyParts.documentId(key.eventId())));
      }
      await("delete by user", batch.commit());
    }
    return keys.size();
  }

  @Override
  public Iterator<AnalyticsEvent> read(String partition, PartitionRead read) {
    Query base = ordered(filtered(db.collection(partition), read)).limit(read.pageSize());
    Query first = read.after().map(c -> base.startAfter(io.tally.analytics.adapter.cloudstores.OccurredKey.of(
        c.occurredAt()), c.eventId())).orElse(base);
    return new Iterator<>() {
      private List<QueryDocumentSnapshot> page = await("query", first.get()).getDocuments();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < page.size()) {
          return true;
        }
        if (page.size() < read.pageSize()) {
          return false;
        }
        page = await("query", base.startAfter(page.get(page.size() - 1)).get()).getDocuments();
        next = 0;
        return !page.isEmpty();
      }

      @Override
      public AnalyticsEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return event(page.get(next++));
      }
    };
  }

  @Override
  public long count(String partition, PartitionRead read) {
    return await("count", filtered(db.collection(partition), read).count().get()).getCount();
  }

  @Override
  public List<StoredKey> keysOfUser(String tenant, String userId, List<String> partitions) {
    List<StoredKey> keys = new ArrayList<>();
    for (String p : partitions) {
      Query q = db.collection(p).whereEqualTo(EventField.USER_ID.wireName(), userId)
          .select(EventAttributes.OCCURRED_KEY, EventAttributes.EVENT_ID);
      for (QueryDocumentSnapshot d : await("delete by user", q.get()).getDocuments()) {
        keys.add(new StoredKey(tenant, p, d.getString(EventAttributes.OCCURRED_KEY),
            d.getString(EventAttributes.EVENT_ID)));
      }
    }
    return keys;
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (Exception e) {
      throw BackendFailures.failure(backend(), "close", e);
    }
  }

  /** The query of {@link FirestoreQueryShape#of}: equalities, the time range and, unless erasing, expiry. */
  private static Query filtered(Query q, PartitionRead read) {
    QueryPlan plan = plan(read);
    for (Map.Entry<EventField, String> f : read.fields().entrySet()) {
      q = q.whereEqualTo(f.getKey().wireName(), f.getValue());
    }
    q = q.whereGreaterThanOrEqualTo(plan.range().get(0), read.lowerKey())
        .whereLessThan(plan.range().get(0), read.upperKey());
    if (read.now().isPresent()) {
      q = q.whereGreaterThan(EXPIRES_AT, timestamp(read.now().get()));
    }
    return q;
  }

  private static Query ordered(Query q) {
    return q.orderBy(ORDER.get(0)).orderBy(ORDER.get(1));
  }

  private static final List<String> ORDER = List.of(EventAttributes.OCCURRED_KEY, EventAttributes.EVENT_ID);

  /** What {@link #filtered} and {@link #ordered} put in a query, as fields: the index test reads this. */
  private record QueryPlan(java.util.Set<String> equalities, List<String> range) {}

  private static QueryPlan plan(PartitionRead read) {
    java.util.Set<String> eq = new java.util.TreeSet<>();
    read.fields().keySet().forEach(f -> eq.add(f.wireName()));
    List<String> range = new ArrayList<>(ORDER);
    if (read.now().isPresent()) {
      range.add(EXPIRES_AT);
    }
    return new QueryPlan(eq, range);
  }

  /** @return the equality and range fields of the query this adapter issues for {@code read} */
  static FirestoreQueryShape queryDescription(PartitionRead read) {
    QueryPlan plan = plan(read);
    return new FirestoreQueryShape(plan.equalities(), plan.range());
  }

  private CollectionReference claims(String tenant) {
    return db.collection(tenantPath(tenant) + "/claims");
  }

  private static AnalyticsEvent event(DocumentSnapshot d) {
    Map<String, String> a = new HashMap<>();
    Map<String, Object> data = d.getData();
    if (data != null) {
      data.forEach((k, v) -> {
        if (v instanceof String s) {
          a.put(k, s);
        }
      });
    }
    return EventAttributes.event(a);
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.ofTimeSecondsAndNanos(t.getEpochSecond(), t.getNano());
  }

  private static boolean hasCode(ExecutionException e, StatusCode.Code code) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApiException api && api.getStatusCode().getCode() == code) {
        return true;
      }
    }
    return false;
  }

  private <T> T await(String operation, ApiFuture<T> future) {
    return call(backend(), operation, () -> {
      try {
        return future.get();
      } catch (ExecutionException e) {
        throw BackendFailures.failure(backend(), operation, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw BackendFailures.failure(backend(), operation, e);
      }
    });
  }
}
