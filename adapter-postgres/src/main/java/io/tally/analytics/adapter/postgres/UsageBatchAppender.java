package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Appends a batch of usage events idempotently in one transaction: stage the rows (COPY or unnest,
 * see {@link StagingLoader}), claim the new (org, event id) keys, insert only those events, file
 * conflicts, mark dirty hours, record the batch and advance the stream offset, then commit once.
 *
 * <p>Exactness under concurrency: {@code INSERT ... ON CONFLICT DO NOTHING} into usage_event_keys waits
 * for any concurrent transaction holding the same key, so after that statement every staged key is either
 * ours or committed by someone else; the conflict query runs as a later statement (READ COMMITTED takes a
 * new snapshot) and therefore sees those keys. Keys and dirty hours are inserted in sorted order, so two
 * overlapping batches always lock in the same order and cannot deadlock.
 */
final class UsageBatchAppender {

  private static final String CREATE_STAGE =
      """
      CREATE TEMP TABLE IF NOT EXISTS usage_stage (
          ord           integer     NOT NULL,
          org_id        uuid        NOT NULL,
          event_id      text        NOT NULL,
          occurred_at   timestamptz NOT NULL,
          model_id      text        NOT NULL,
          actor_id      text,
          api_key_id    text,
          input_tokens  bigint      NOT NULL,
          output_tokens bigint      NOT NULL,
          cost_micros   bigint      NOT NULL,
          latency_ms    bigint      NOT NULL,
          status        text        NOT NULL,
          error_code    text,
          region        text,
          fingerprint   text        NOT NULL
      ) ON COMMIT DELETE ROWS
      """;

  // One statement: first occurrence per key (defensive in-batch dedup), claim keys, insert the claimed
  // events, mark their hours dirty. Returns how many events were inserted.
  private static final String APPLY =
      """
      WITH firsts AS MATERIALIZED (
          SELECT DISTINCT ON (org_id, event_id) *
            FROM pg_temp.usage_stage
           ORDER BY org_id, event_id, ord),
      new_keys AS (
          INSERT INTO analytics.usage_event_keys (org_id, event_id, occurred_at, fingerprint)
          SELECT org_id, event_id, occurred_at, fingerprint FROM firsts ORDER BY org_id, event_id
          ON CONFLICT DO NOTHING
          RETURNING org_id, event_id),
      events AS (
          INSERT INTO analytics.usage_events (org_id, event_id, occurred_at, model_id, actor_id, api_key_id,
                 input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region,
                 fingerprint, batch_id, ingested_at)
          SELECT f.org_id, f.event_id, f.occurred_at, f.model_id, f.actor_id, f.api_key_id,
                 f.input_tokens, f.output_tokens, f.cost_micros, f.latency_ms, f.status, f.error_code, f.region,
                 f.fingerprint, :batch, :now
            FROM firsts f
            JOIN new_keys k ON k.org_id = f.org_id AND k.event_id = f.event_id
          RETURNING org_id, occurred_at),
      dirty AS (
          INSERT INTO analytics.dirty_hours (org_id, bucket_start)
          SELECT DISTINCT org_id, date_trunc('hour', occurred_at, 'UTC') FROM events ORDER BY 1, 2
          ON CONFLICT DO NOTHING)
      SELECT count(*) FROM events
      """;

  // Every staged row whose fingerprint differs from the winning one is a conflict (it cannot have been
  // inserted); the rest of the not-inserted rows are duplicates.
  private static final String FILE_CONFLICTS =
      """
      INSERT INTO analytics.usage_event_conflicts (org_id, event_id, occurred_at, model_id, actor_id,
             api_key_id, input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region,
             fingerprint, first_fingerprint, batch_id, received_at)
      SELECT s.org_id, s.event_id, s.occurred_at, s.model_id, s.actor_id, s.api_key_id, s.input_tokens,
             s.output_tokens, s.cost_micros, s.latency_ms, s.status, s.error_code, s.region,
             s.fingerprint, k.fingerprint, :batch, :now
        FROM pg_temp.usage_stage s
        JOIN analytics.usage_event_keys k ON k.org_id = s.org_id AND k.event_id = s.event_id
       WHERE s.fingerprint <> k.fingerprint
       ORDER BY s.ord
      """;

  private static final String RECORD_BATCH =
      """
      INSERT INTO analytics.ingestion_batches (id, source, stream, consumer, last_offset, request_id,
             received, inserted, duplicates, conflicts, started_at, finished_at)
      VALUES (:id, :source, :stream, :consumer, :lastOffset, :requestId,
             :received, :inserted, :duplicates, :conflicts, :startedAt, :finishedAt)
      """;

  // Offsets only move forward: a replayed or reordered older batch leaves the stored position alone.
  private static final String ADVANCE_OFFSET =
      """
      INSERT INTO analytics.stream_offsets AS o (stream, consumer, last_offset, updated_at)
      VALUES (:stream, :consumer, :lastOffset, :now)
      ON CONFLICT (stream, consumer) DO UPDATE
         SET last_offset = EXCLUDED.last_offset, updated_at = EXCLUDED.updated_at
       WHERE o.last_offset < EXCLUDED.last_offset
      """;

  private final Jdbi jdbi;
  private final StagingLoader loader;
  private final PartitionMaintainer partitions;
  private final TimeSource clock;

  UsageBatchAppender(Jdbi jdbi, StagingLoader loader, PartitionMaintainer partitions, TimeSource clock) {
    this.jdbi = jdbi;
    this.loader = loader;
    this.partitions = partitions;
    this.clock = clock;
  }

  String strategyName() {
    return loader.name();
  }

  /** Appends on a connection of its own. */
  AppendOutcome append(UsageBatch batch) {
    ensurePartitions(batch);
    return jdbi.inTransaction(h -> applyInTransaction(h, batch));
  }

  /** Appends on the caller's handle (for example one long-lived connection per stream consumer). */
  AppendOutcome append(Handle handle, UsageBatch batch) {
    ensurePartitions(batch);
    return handle.inTransaction(h -> applyInTransaction(h, batch));
  }

  private void ensurePartitions(UsageBatch batch) {
    Set<LocalDate> days = new TreeSet<>();
    for (UsageEventRow r : batch.rows()) {
      days.add(LocalDate.ofInstant(r.occurredAt(), ZoneOffset.UTC));
    }
    partitions.ensureDays(days);
  }

  private AppendOutcome applyInTransaction(Handle h, UsageBatch batch) {
    Instant started = clock.now();
    OffsetDateTime now = utc(started);
    int received = batch.rows().size();
    int inserted = 0;
    int conflicts = 0;
    if (received > 0) {
      h.execute(CREATE_STAGE);
      loader.load(h, batch.rows());
      inserted =
          h.createQuery(APPLY)
              .bind("batch", batch.batchId())
              .bind("now", now)
              .mapTo(Integer.class)
              .one();
      if (inserted < received) {
        conflicts =
            h.createUpdate(FILE_CONFLICTS).bind("batch", batch.batchId()).bind("now", now).execute();
      }
    }
    int duplicates = received - inserted - conflicts;
    StreamPosition pos = batch.position().orElse(null);
    h.createUpdate(RECORD_BATCH)
        .bind("id", batch.batchId())
        .bind("source", batch.source())
        .bind("stream", pos == null ? null : pos.stream())
        .bind("consumer", pos == null ? null : pos.consumer())
        .bind("lastOffset", pos == null ? null : pos.lastOffset())
        .bind("requestId", batch.requestId().orElse(null))
        .bind("received", received)
        .bind("inserted", inserted)
        .bind("duplicates", duplicates)
        .bind("conflicts", conflicts)
        .bind("startedAt", now)
        .bind("finishedAt", utc(clock.now()))
        .execute();
    boolean advanced = false;
    if (pos != null) {
      advanced =
          h.createUpdate(ADVANCE_OFFSET)
                  .bind("stream", pos.stream())
                  .bind("consumer", pos.consumer())
                  .bind("lastOffset", pos.lastOffset())
                  .bind("now", now)
                  .execute()
              == 1;
    }
    return new AppendOutcome(received, inserted, duplicates, conflicts, advanced);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
