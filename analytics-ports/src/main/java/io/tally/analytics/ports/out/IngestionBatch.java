package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link UsageEventStore#append} receives: events that are already validated, de-duplicated within the
 * batch and priced, each with the fingerprint of its as-received form. The list may be empty: a stream batch
 * whose messages were all invalid still has to move its position forward.
 *
 * @param batchId unique id of this ingestion batch (tracked by the store)
 * @param source HTTP request id and/or stream position
 * @param events distinct keys, every event carrying costMicros
 */
public record IngestionBatch(String batchId, IngestSource source, List<FingerprintedEvent> events) {
  /** Validates the preconditions the use case guarantees. */
  public IngestionBatch {
    StreamPosition.requireText(batchId, "batchId");
    Objects.requireNonNull(source, "source");
    events = List.copyOf(events);
    Set<UsageEventKey> keys = new HashSet<>();
    for (FingerprintedEvent e : events) {
      if (!keys.add(e.key())) {
        throw new IllegalArgumentException("batch holds " + e.key() + " twice; deduplicate before appending");
      }
      if (e.event().costMicros().isEmpty()) {
        throw new IllegalArgumentException("event " + e.key() + " is not priced");
      }
    }
  }
}
