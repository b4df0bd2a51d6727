package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.usage.StreamLeaseLostException;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.TimeSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;

/**
 * Appends a batch of usage events idempotently in one transaction: claim the new (org, event id) keys and
 * insert only those events (how is the {@link IngestStrategy}), write the rollup deltas of the inserted events and
 * mark their hours dirty ({@link RollupDeltas}), file conflicts, record the batch, store its dead letters and
 * advance the stream offset, then commit once. A batch consumed under a stream lease first checks that its token
 * is still the lease's and holds the lease row {@code FOR SHARE} until it commits ({@link #fence}).
 *
 * <p>Only the rows that were not inserted (usually a handful) travel a second time, to be classified as
 * duplicate or conflict; dirty hours and deltas are computed in Java from the rows that were inserted.
 *
 * <p>Exactness under concurrency: {@code INSERT ... ON CONFLICT DO NOTHING} into usage_event_keys waits
 * for any concurrent transaction holding the same key, so after that statement every staged key is either
 * ours or committed by someone else; the conflict query runs as a later statement (READ COMMITTED takes a
 * new snapshot) and therefore sees those keys. Rows are staged sorted by key and keys are claimed in that
 * order, so two overlapping batches always lock in the same order and cannot deadlock.
 */
final class UsageBatchAppender {

  // A rejected row whose fingerprint differs from the winning one is a conflict; the others are duplicates.
  // Only the rejected rows are sent again, usually a handful.
  private static final String FILE_CONFLICTS =
      """
      WITH %s,
      conflicting AS MATERIALIZED (
          SELECT s.*, k.fingerprint AS first_fingerprint
            FROM input s
            JOIN analytics.usage_event_keys k ON k.org_id = s.org_id AND k.event_id = s.event_id
           WHERE s.fingerprint <> k.fingerprint),
      filed AS (
          INSERT INTO analytics.usage_event_conflicts (org_id, event_id, occurred_at, model_id, actor_id,
                 api_key_id, input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region,
                 fingerprint, first_fingerprint, batch_id, received_at)
          SELECT c.org_id, c.event_id, c.occurred_at, c.model_id, c.actor_id, c.api_key_id, c.input_tokens,
                 c.output_tokens, c.cost_micros, c.latency_ms, c.status, c.error_code, c.region,
                 c.fingerprint, c.first_fingerprint, ?::uuid, ?::timestamptz
            FROM conflicting c
           ORDER BY c.ord
          RETURNING 1)
      SELECT (SELECT count(*) FROM filed)::int, ARRAY(SELECT c.ord FROM conflicting c ORDER BY c.ord)
      """;

  private static final String RECORD_BATCH =
      """
      INSERT INTO analytics.ingestion_batches (id, batch_ref, source, stream, consumer, last_offset, request_id,
             received, inserted, duplicates, conflicts, started_at, finished_at)
      VALUES (:id, :batchRef, :source, :stream, :consumer, :lastOffset, :requestId,
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

  /** How long a leased batch's transaction may sit idle (its client frozen) before PostgreSQL ends it. */
  static final int STALLED_BATCH_TIMEOUT_SECONDS = 10;

  // FOR SHARE: a takeover's (or renewal's) upsert of this row waits for the batch to commit, while batches of the
  // same holder do not block each other.
  private static final String LEASE =
      "SELECT holder, epoch FROM analytics.stream_leases WHERE stream = :stream AND consumer = :consumer FOR SHARE";

  // Any total order works for deadlock freedom as long as every appender uses the same one.
  private static final Comparator<UsageEventRow> KEY_ORDER =
      Comparator.comparing(UsageEventRow::orgId).thenComparing(UsageEventRow::eventId);

  private final Jdbi jdbi;
  private final IngestStrategy strategy;
  private final PartitionMaintainer partitions;
  private final TimeSource clock;
  private final RollupDeltas deltas = new RollupDeltas();

  UsageBatchAppender(Jdbi jdbi, IngestStrategy strategy, PartitionMaintainer partitions, TimeSource clock) {
    this.jdbi = jdbi;
    this.strategy = strategy;
    this.partitions = partitions;
    this.clock = clock;
  }

  String strategyName() {
    return strategy.name();
  }

  /**
   * Appends on the caller's handle, inside its transaction when one is open: the dirty-hour race test holds an
   * append open across a refresh, and IngestDbBench appends on one long-lived connection.
   */
  AppendCounts append(Handle handle, UsageBatch batch) {
    ensurePartitions(batch);
    return handle.inTransaction(h -> applyInTransaction(h, batch)).counts();
  }

  /** Appends on a connection of its own and also reports what happened to each row, in arrival order. */
  Applied appendWithOutcomes(UsageBatch batch) {
    ensurePartitions(batch);
    return jdbi.inTransaction(h -> applyInTransaction(h, batch));
  }

  /** Row outcomes in {@link Applied#perRow()}. */
  static final byte INSERTED = 0;
  static final byte DUPLICATE = 1;
  static final byte CONFLICT = 2;

  /**
   * Counts plus one outcome per row in arrival order ({@link #INSERTED}, {@link #DUPLICATE} or
   * {@link #CONFLICT}); an in-batch repeat of a key is a duplicate or conflict of its first arrival.
   */
  record Applied(AppendCounts counts, byte[] perRow) {}

  private void ensurePartitions(UsageBatch batch) {
    Set<LocalDate> days = new TreeSet<>();
    for (UsageEventRow r : batch.rows()) {
      days.add(LocalDate.ofInstant(r.occurredAt(), ZoneOffset.UTC));
    }
    partitions.ensureDays(days);
  }

  /**
   * Rows in key order, with the later occurrences of a key (in arrival order) flagged as repeats;
   * {@code arrival[i]} is the arrival index of staged row i.
   */
  record Staged(List<UsageEventRow> rows, boolean[] repeat, int[] arrival) {
    static Staged of(List<UsageEventRow> arrival) {
      Set<Object> seen = new HashSet<>();
      List<Integer> firstsAndRepeats = new ArrayList<>(arrival.size());
      boolean[] repeatInArrival = new boolean[arrival.size()];
      for (int i = 0; i < arrival.size(); i++) {
        UsageEventRow r = arrival.get(i);
        repeatInArrival[i] = !seen.add(List.of(r.orgId(), r.eventId()));
        firstsAndRepeats.add(i);
      }
      // Stable sort: among rows of one key the first arrival stays first.
      firstsAndRepeats.sort(Comparator.comparing(arrival::get, KEY_ORDER));
      List<UsageEventRow> sorted = new ArrayList<>(arrival.size());
      boolean[] repeat = new boolean[arrival.size()];
      int[] arrivalIndex = new int[arrival.size()];
      for (int i = 0; i < firstsAndRepeats.size(); i++) {
        int from = firstsAndRepeats.get(i);
        sorted.add(arrival.get(from));
        repeat[i] = repeatInArrival[from];
        arrivalIndex[i] = from;
      }
      return new Staged(sorted, repeat, arrivalIndex);
    }
  }

  private Applied applyInTransaction(Handle h, UsageBatch batch) {
    batch.lease().ifPresent(token -> fence(h, token));
    Instant started = clock.now();
    OffsetDateTime now = utc(started);
    int received = batch.rows().size();
    int inserted = 0;
    int conflicts = 0;
    byte[] perRow = new byte[received];
    if (received > 0) {
      Staged staged = Staged.of(batch.rows());
      IngestStrategy.Claimed applied = strategy.claimAndInsert(h, staged, batch.batchId(), now);
      inserted = applied.inserted();
      if (inserted > 0) {
        deltas.record(h, insertedEvents(batch, staged, applied.rejected()));
      }
      for (int ord : applied.rejected()) {
        perRow[staged.arrival()[ord]] = DUPLICATE;
      }
      if (applied.rejected().length > 0) {
        int[] conflicting = fileConflicts(h, staged, applied.rejected(), batch, now);
        conflicts = conflicting.length;
        for (int ord : conflicting) {
          perRow[staged.arrival()[ord]] = CONFLICT;
        }
      }
    }
    int duplicates = received - inserted - conflicts;
    StreamPosition pos = batch.position().orElse(null);
    h.createUpdate(RECORD_BATCH)
        .bind("id", batch.batchId())
        .bind("batchRef", batch.batchRef())
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
    DeadLetterRows.insert(h, batch.deadLetters());
    return new Applied(new AppendCounts(received, inserted, duplicates, conflicts, advanced), perRow);
  }

  /**
   * Refuses the batch, before it writes anything, unless {@code token} is still the lease's (holder and epoch);
   * expiry alone does not refuse it (nobody took the lease, so no other instance consumed meanwhile). A missing row
   * refuses too: the lease the consumer took no longer exists (deleted by hand), so it is not held. The row stays
   * locked until the batch commits, so the lease cannot change hands under the batch; a transaction left idle
   * longer than {@link #STALLED_BATCH_TIMEOUT_SECONDS} is ended by the server so a frozen holder cannot keep it.
   */
  private static void fence(Handle h, StreamLeaseToken token) {
    // A holder frozen inside this transaction (SIGSTOP, a long GC pause) would hold the lease row, and its key
    // locks, for as long as it is frozen: the takeover and the new holder's first batch would wait for it. The
    // server ends such a session instead, which rolls the batch back; a live holder retries it as an outage.
    h.execute("SET LOCAL idle_in_transaction_session_timeout = '" + STALLED_BATCH_TIMEOUT_SECONDS + "s'");
    Optional<StreamLeaseToken> current = h.createQuery(LEASE)
        .bind("stream", token.stream())
        .bind("consumer", token.consumer())
        .map((rs, ctx) -> new StreamLeaseToken(token.stream(), token.consumer(), rs.getString("holder"),
            rs.getLong("epoch")))
        .findOne();
    if (!current.equals(Optional.of(token))) {
      throw new StreamLeaseLostException(token, current.map(c -> c.holder() + " (epoch " + c.epoch() + ")")
          .orElse("no lease row"));
    }
  }

  /** The events of the staged rows that were inserted: all but the rejected ords (ascending). */
  private static List<UsageEvent> insertedEvents(UsageBatch batch, Staged staged, int[] rejected) {
    List<UsageEvent> events = new ArrayList<>(staged.rows().size() - rejected.length);
    int r = 0;
    for (int ord = 0; ord < staged.rows().size(); ord++) {
      if (r < rejected.length && rejected[r] == ord) {
        r++;
        continue;
      }
      events.add(batch.event(staged.arrival()[ord]));
    }
    return events;
  }

  /** Files the conflicting rows among the rejected ones and returns their staged ords. */
  private static int[] fileConflicts(
      Handle h, Staged staged, int[] rejected, UsageBatch batch, OffsetDateTime now) {
    List<UsageEventRow> rows = new ArrayList<>(rejected.length);
    for (int ord : rejected) {
      rows.add(staged.rows().get(ord));
    }
    StagingLoader.Input input =
        UnnestStagingLoader.arrays(h, rows, rejected, new boolean[rejected.length]);
    try (PreparedStatement ps = h.getConnection().prepareStatement(FILE_CONFLICTS.formatted(input.cte()))) {
      int i = bindAll(ps, input.parameters());
      ps.setObject(i++, batch.batchId());
      ps.setObject(i, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return IngestStrategy.ints(rs.getArray(2));
      }
    } catch (SQLException e) {
      throw new PostgresAdapterException("filing conflicts failed", e);
    }
  }

  static int bindAll(PreparedStatement ps, List<Object> values) throws SQLException {
    int i = 1;
    for (Object v : values) {
      ps.setObject(i++, v);
    }
    return i;
  }


  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
