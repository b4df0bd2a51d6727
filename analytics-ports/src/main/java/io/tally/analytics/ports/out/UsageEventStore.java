package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Raw usage events: idempotent batch append plus the reads that rollup refresh, exact percentiles and
 * reconciliation need. Contract: {@code UsageEventStoreContract} in this module's test-jar.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>Identity is {@code (orgId, eventId)} only. A resend with a different payload — including a different
 *       {@code occurredAt}, which in a time-partitioned table lands in another partition — is a
 *       {@link AppendOutcome#CONFLICT}: the first write stands, the later payload is kept for inspection.
 *   <li>One append is one transaction: rows, the batch record, the stream position (if any), the marking of
 *       every touched hourly bucket {@code (org, model, hour)} dirty for the rollup ({@link RollupTransaction#claimDirty}) and
 *       the batch's dead letters all commit together or not at all. An append that fails leaves none of them.
 *   <li>A stream position only moves forward; re-appending an older batch is harmless.
 *   <li>A stream dead letter is identified by its (stream, consumer, message offset): appending one that is
 *       already stored adds nothing, so a redelivered stream batch never doubles its dead letters. Letters
 *       without a stream position (HTTP, direct) are always added.
 *   <li>An append with no events, no position and no dead letters may be skipped by the caller; one with only
 *       dead letters stores them.
 *   <li>Safe for concurrent appends from several threads and instances; counts stay exact.
 *   <li>A store that also keeps the stream leases ({@link StreamLeases}) fences appends whose source carries a
 *       lease token ({@link io.tally.analytics.core.usage.IngestSource#lease()}): it commits them only while the
 *       token is still the lease's, in the same transaction, and otherwise writes nothing and throws
 *       {@link io.tally.analytics.core.usage.StreamLeaseLostException}. A store without leases (in memory) has no
 *       other holder to fence against and ignores the token.
 * </ul>
 */
public interface UsageEventStore {
  /**
   * @param batch validated, in-batch-deduplicated, priced events (possibly none), their source and the batch's
   *     dead letters (possibly none)
   * @return per-event outcomes aligned with the batch
   */
  AppendResult append(IngestionBatch batch);

  /**
   * @param stream stream name
   * @param consumer consumer name
   * @return the last committed offset, empty when the consumer never committed
   */
  Optional<Long> committedOffset(String stream, String consumer);

  /**
   * Streams the events of a range to {@code sink}, ordered by occurredAt then eventId, without loading the
   * whole range into memory.
   *
   * @param range org, [start, end), optional model
   * @param sink receives each stored (first-written) event
   */
  void scan(EventRange range, Consumer<UsageEvent> sink);

  /**
   * @param range org, [start, end), optional model
   * @return number of stored events in the range
   */
  long count(EventRange range);

  /**
   * @param key event identity
   * @return the stored (first-written) event with its fingerprint
   */
  Optional<FingerprintedEvent> find(UsageEventKey key);

  /**
   * @param key event identity
   * @return later, conflicting payloads received for the key, oldest first
   */
  List<FingerprintedEvent> conflictingPayloads(UsageEventKey key);
}
