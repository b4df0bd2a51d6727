package io.tally.analytics.adapter.rabbitmq;

/**
 * What an {@link IngestingBatchSink} did since it was created, for metrics and tests.
 *
 * @param batches batches ingested (each one use-case call, its position committed)
 * @param accepted events stored
 * @param duplicates exact resends of stored events
 * @param conflicts resends of stored events with another payload (kept for inspection)
 * @param rejected events the use case dead-lettered (invalid or unpriceable)
 * @param unreadable messages the sink dead-lettered itself (content type, encoding, JSON shape)
 * @param redelivered messages skipped because their offset was already committed
 */
public record IngestTotals(long batches, long accepted, long duplicates, long conflicts, long rejected,
    long unreadable, long redelivered) {

  /** @return every dead letter this sink caused: {@code rejected + unreadable} */
  public long deadLettered() {
    return rejected + unreadable;
  }

  IngestTotals plus(IngestTotals o) {
    return new IngestTotals(batches + o.batches, accepted + o.accepted, duplicates + o.duplicates,
        conflicts + o.conflicts, rejected + o.rejected, unreadable + o.unreadable, redelivered + o.redelivered);
  }
}
