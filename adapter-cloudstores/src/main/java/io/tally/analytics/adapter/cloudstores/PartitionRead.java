package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.EventCursor;
import io.tally.analytics.core.analyticsevent.EventField;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One read of a partition, already in store terms: exact-match conditions on attributes, a half-open
 * {@link OccurredKey} range, an optional keyset position to continue after, and the instant before which an
 * event counts as expired.
 *
 * @param fields attribute equality conditions (the tenant is implied by the partition)
 * @param lowerKey inclusive lower bound on {@code occurred_key} ({@link OccurredKey#LOWEST} when open)
 * @param upperKey exclusive upper bound on {@code occurred_key} ({@link OccurredKey#HIGHEST} when open)
 * @param after continue strictly after this position
 * @param now events whose expiry is not after this are skipped; empty skips none (erasure)
 * @param pageSize items fetched per round trip
 */
public record PartitionRead(Map<EventField, String> fields, String lowerKey, String upperKey,
    Optional<EventCursor> after, Optional<Instant> now, int pageSize) {
  /** Copies. */
  public PartitionRead {
    fields = Map.copyOf(fields);
  }

  /** @return the key {@code occurred_key#event_id} to continue after, if any */
  public Optional<String> afterSortKey() {
    return after.map(c -> OccurredKey.of(c.occurredAt()) + "#" + c.eventId());
  }

  /** @return the same read from the start of the range (counts ignore cursors) */
  public PartitionRead fromStart() {
    return new PartitionRead(fields, lowerKey, upperKey, Optional.empty(), now, pageSize);
  }
}
