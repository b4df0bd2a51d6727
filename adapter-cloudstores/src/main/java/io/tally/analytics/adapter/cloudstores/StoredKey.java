package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import java.util.Objects;

/**
 * Where one event lives: enough for every store to address the document (DynamoDB needs the sort key, Cosmos and
 * Firestore the partition and id).
 *
 * @param tenantId tenant
 * @param partition partition key or collection path
 * @param occurredKey {@link OccurredKey} of the event
 * @param eventId event id
 */
public record StoredKey(String tenantId, String partition, String occurredKey, String eventId) {
  /** Rejects nulls. */
  public StoredKey {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(occurredKey, "occurredKey");
    Objects.requireNonNull(eventId, "eventId");
  }

  /** @return the key of {@code e} in {@code partition} */
  public static StoredKey of(String partition, AnalyticsEvent e) {
    return new StoredKey(e.tenantId(), partition, OccurredKey.of(e.occurredAt()), e.eventId());
  }

  /** @return {@code occurred_key#event_id}, which orders like the store order */
  public String sortKey() {
    return occurredKey + "#" + eventId;
  }
}
