package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEventKey;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link UsageEventStore#append} receives: events that are already validated, de-duplicated within the
 * batch, each with the fingerprint of its as-received form, plus the batch's dead letters. Either
 * list may be empty: a stream batch whose messages were all invalid still has to move its position forward,
 * and an HTTP batch whose events were all invalid still has to keep its dead letters.
 *
 * @param batchId unique id of this ingestion batch (tracked by the store)
 * @param source HTTP request id and/or stream position
 * @param events distinct keys; an event carries costMicros only when the client sent it (the rollup prices the
 *     others)
 * @param deadLetters the batch's rejected events, committed with the rows (a stream letter carries its message's
 *     own offset, see {@link DeadLetter})
 */
public record IngestionBatch(String batchId, IngestSource source, List<FingerprintedEvent> events,
    List<DeadLetter> deadLetters) {
  /** Validates the preconditions the use case guarantees. */
  public IngestionBatch {
    Objects.requireNonNull(batchId, "batchId");
    if (batchId.isBlank()) {
      throw new IllegalArgumentException("batchId must not be blank");
    }
    Objects.requireNonNull(source, "source");
    events = List.copyOf(events);
    deadLetters = List.copyOf(deadLetters);
    Set<UsageEventKey> keys = new HashSet<>();
    for (FingerprintedEvent e : events) {
      if (!keys.add(e.key())) {
        throw new IllegalArgumentException("batch holds " + e.key() + " twice; deduplicate before appending");
      }
    }
  }

  /** A batch without dead letters. */
  public IngestionBatch(String batchId, IngestSource source, List<FingerprintedEvent> events) {
    this(batchId, source, events, List.of());
  }
}
