package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * The ingest benchmarks' reference: plain text {@code COPY} into {@code analytics.usage_events_reference}, a
 * table made with {@code LIKE analytics.usage_events} (same columns and NOT NULLs, no primary key, index or
 * CHECK) with the same daily partitions. One COPY per batch in autocommit, so one transaction per batch as the
 * appender commits once per batch. {@code ingest-db} feeds it its generated rows; {@code ingest-stream}
 * ({@link #copyAll}) the rows its stream consumer stored.
 */
public final class PlainCopyTable implements AutoCloseable {
  private static final String COPY =
      "COPY analytics.usage_events_reference (org_id, event_id, occurred_at, model_id, actor_id,"
          + " api_key_id, input_tokens, output_tokens, cost_micros, latency_ms, status, error_code,"
          + " region, fingerprint, batch_id, ingested_at) FROM STDIN";
  private static final Instant INGESTED_AT = Instant.parse("2026-10-01T00:00:00Z");
  private static final int BUFFER = 64 * 1024;

  private final Handle handle;
  private final PGConnection pg;
  private final boolean withPrimaryKey;
  private final Set<Object> seen = new HashSet<>();

  private PlainCopyTable(Handle handle, boolean withPrimaryKey) throws SQLException {
    this.handle = handle;
    this.withPrimaryKey = withPrimaryKey;
    this.pg = handle.getConnection().unwrap(PGConnection.class);
  }

  /**
   * Creates the reference table with daily partitions for {@code [from, toExclusive)} in a migrated database.
   *
   * @param withPrimaryKey also give it {@code usage_events}' primary key (an ablation; resends are then skipped
   *     in Java, since a unique key makes plain COPY fail on them)
   */
  static PlainCopyTable create(Jdbi migrated, LocalDate from, LocalDate toExclusive, boolean withPrimaryKey)
      throws SQLException {
    Handle handle = migrated.open();
    handle.execute(
        "CREATE TABLE analytics.usage_events_reference (LIKE analytics.usage_events)"
            + " PARTITION BY RANGE (occurred_at)");
    for (LocalDate d = from; d.isBefore(toExclusive); d = d.plusDays(1)) {
      handle.execute(
          PartitionMaintainer.createStatement(d)
              .replace("usage_events_p", "usage_events_reference_p")
              .replace("OF analytics.usage_events ", "OF analytics.usage_events_reference "));
    }
    if (withPrimaryKey) {
      handle.execute("ALTER TABLE analytics.usage_events_reference ADD PRIMARY KEY (org_id, occurred_at, event_id)");
    }
    return new PlainCopyTable(handle, withPrimaryKey);
  }

  /** One COPY of the batch, committed on its own. */
  void append(List<UsageEventRow> batch) throws SQLException, IOException {
    UUID batchId = UUID.randomUUID();
    try (PGCopyOutputStream out = new PGCopyOutputStream(pg, COPY, BUFFER)) {
      CopyTextWriter w = new CopyTextWriter(out, BUFFER);
      for (UsageEventRow r : batch) {
        if (withPrimaryKey && !seen.add(List.of(r.orgId(), r.eventId()))) {
          continue;
        }
        w.uuid(r.orgId()).text(r.eventId()).timestamp(r.occurredAt()).text(r.modelId())
            .text(r.actorId()).text(r.apiKeyId()).number(r.inputTokens()).number(r.outputTokens())
            .number(r.costMicros()).number(r.latencyMs()).text(r.status()).text(r.errorCode())
            .text(r.region()).text(r.fingerprint()).uuid(batchId).timestamp(INGESTED_AT);
        w.endRow();
      }
      w.flush();
    }
  }

  /** @return rows in the reference table */
  public long count() {
    return handle.createQuery("SELECT count(*) FROM analytics.usage_events_reference").mapTo(Long.class).one();
  }

  @Override
  public void close() {
    handle.close();
  }

  /** Rows copied and the time spent in COPY alone. */
  public record Timed(long rows, long nanos) {
    /** @return rows per second */
    public double rate() {
      return rows / (nanos / 1e9);
    }
  }

  /**
   * Times plain COPY of every row of {@code source}'s {@code usage_events} into a new reference table in
   * {@code target} (migrated, without that table), {@code batchSize} rows per COPY. Rows are read from the source
   * in its physical order between the timed COPYs, so only the COPYs count; the stored count is checked.
   */
  public static Timed copyAll(Jdbi source, Jdbi target, int batchSize) {
    LocalDate[] days = source.withHandle(h -> h.createQuery(
            "SELECT (min(occurred_at) AT TIME ZONE 'UTC')::date AS first,"
                + " (max(occurred_at) AT TIME ZONE 'UTC')::date AS last FROM analytics.usage_events")
        .map((rs, ctx) -> new LocalDate[] {
            rs.getObject("first", LocalDate.class), rs.getObject("last", LocalDate.class)})
        .one());
    if (days[0] == null) {
      throw new IllegalStateException("the source database has no usage events to copy");
    }
    try (PlainCopyTable table = create(target, days[0], days[1].plusDays(1), false)) {
      return table.copyIngestedAfter(source, Instant.EPOCH, batchSize);
    } catch (SQLException e) {
      throw new IllegalStateException("reference table: " + e.getMessage(), e);
    }
  }

  /**
   * Creates the reference table (no key) in {@code migrated} for {@link #copyIngestedAfter} rounds.
   *
   * @param from first day the rows fall on
   * @param toExclusive day after the last
   */
  public static PlainCopyTable open(Jdbi migrated, LocalDate from, LocalDate toExclusive) {
    try {
      return create(migrated, from, toExclusive, false);
    } catch (SQLException e) {
      throw new IllegalStateException("reference table: " + e.getMessage(), e);
    }
  }

  /**
   * Times plain COPY of the rows of {@code source}'s {@code usage_events} ingested after {@code after} (one round
   * of a benchmark that takes turns with another contender), {@code batchSize} rows per COPY; only the COPYs are
   * timed, and the table's count is checked to have grown by the rows copied.
   */
  public Timed copyIngestedAfter(Jdbi source, Instant after, int batchSize) {
    long before = count();
    long[] copied = new long[2]; // rows, nanos
    List<UsageEventRow> batch = new ArrayList<>(batchSize);
    // A fetch size only streams inside a transaction; otherwise the driver reads the whole result first.
    source.useTransaction(h -> h.createQuery(
            "SELECT " + UsageEventColumns.SELECT_LIST + " FROM analytics.usage_events WHERE ingested_at > :after")
        .bind("after", after)
        .setFetchSize(batchSize)
        .map((rs, ctx) -> UsageEventColumns.row(UsageEventColumns.fingerprinted(rs)))
        .forEach(row -> {
          batch.add(row);
          if (batch.size() == batchSize) {
            copied[1] += timedAppend(this, batch);
            copied[0] += batch.size();
            batch.clear();
          }
        }));
    if (!batch.isEmpty()) {
      copied[1] += timedAppend(this, batch);
      copied[0] += batch.size();
    }
    long stored = count() - before;
    if (stored != copied[0]) {
      throw new IllegalStateException("reference COPY stored " + stored + " rows, expected " + copied[0]);
    }
    return new Timed(copied[0], copied[1]);
  }

  private static long timedAppend(PlainCopyTable table, List<UsageEventRow> batch) {
    long t0 = System.nanoTime();
    try {
      table.append(batch);
    } catch (SQLException e) {
      throw new IllegalStateException("reference COPY failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return System.nanoTime() - t0;
  }
}
