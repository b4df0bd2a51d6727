package io.tally.analytics.adapter.cloudstores.firestore;

import io.tally.analytics.adapter.cloudstores.EventAttributes;
import io.tally.analytics.adapter.cloudstores.PartitionRead;
import io.tally.analytics.core.analyticsevent.EventField;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shape of a query {@link FirestorePartitions} issues on an {@code events} collection: which fields it tests
 * for equality, and the fields of its ordered range (explicit order, then the other inequality field). Firestore
 * answers such a query only from a composite index holding, per equality field, that field followed by the range
 * fields (indexes are merged across equality fields); the emulator does not check this, production does, so a
 * test compares every shape with {@code firestore.indexes.json}.
 *
 * @param equalities fields compared with {@code ==}
 * @param range fields after the equalities in the index, in order
 */
record FirestoreQueryShape(Set<String> equalities, List<String> range) {
  /** Range of an event read: ordered by time and id, with the expiry inequality last. */
  public static final List<String> READ_RANGE =
      List.of(EventAttributes.OCCURRED_KEY, EventAttributes.EVENT_ID, FirestorePartitions.EXPIRES_AT);
  /** Range of a read without expiry (erasure looks at expired events too). */
  public static final List<String> ERASURE_RANGE = List.of(EventAttributes.OCCURRED_KEY, EventAttributes.EVENT_ID);

  /** Copies. */
  public FirestoreQueryShape {
    equalities = Set.copyOf(new TreeSet<>(equalities));
    range = List.copyOf(range);
  }

  /** @return the shape of {@link FirestorePartitions#read} and {@link FirestorePartitions#count} for {@code read} */
  public static FirestoreQueryShape of(PartitionRead read) {
    Set<String> eq = new TreeSet<>();
    for (EventField f : read.fields().keySet()) {
      eq.add(f.wireName());
    }
    return new FirestoreQueryShape(eq, read.now().isPresent() ? READ_RANGE : ERASURE_RANGE);
  }
}
