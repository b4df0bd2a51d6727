package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import io.tally.analytics.ports.out.AppendOutcome;
import io.tally.analytics.ports.out.AppendResult;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.out.UsageEventStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Raw usage events in {@code analytics.usage_events}: appends go through the batch appender (one
 * transaction: keys claimed in {@code usage_event_keys}, events inserted, conflicts filed, dirty hours marked,
 * batch recorded, dead letters stored, stream offset advanced), reads use the {@code (org_id, occurred_at, event_id)} primary key
 * of the daily partitions.
 *
 * <p>Batch ids are the caller's text. A text that is a uuid is stored as that uuid; any other text as the
 * name-based uuid of it, so the rows of one batch can still be found from its id. Every append, also a
 * redelivery under the same id, is its own row of {@code ingestion_batches}.
 */
public final class PostgresUsageEventStore implements UsageEventStore {

  private static final String OFFSET =
      "SELECT last_offset FROM analytics.stream_offsets WHERE stream = :stream AND consumer = :consumer";

  private static final String RANGE_FILTER =
      " FROM analytics.usage_events WHERE org_id = :org AND occurred_at >= :start AND occurred_at < :end";

  private static final String KEY =
      "SELECT occurred_at FROM analytics.usage_event_keys WHERE org_id = :org AND event_id = :eventId";

  // occurred_at from the key row pins the one partition that holds the event.
  private static final String EVENT =
      "SELECT " + UsageEventColumns.SELECT_LIST + " FROM analytics.usage_events"
          + " WHERE org_id = :org AND occurred_at = :at AND event_id = :eventId";

  private static final String CONFLICTS =
      "SELECT " + UsageEventColumns.SELECT_LIST + " FROM analytics.usage_event_conflicts"
          + " WHERE org_id = :org AND event_id = :eventId ORDER BY id";

  /** Rows fetched per round trip while scanning. */
  private static final int SCAN_FETCH_SIZE = 5_000;
  /** Rows per hand-over from the scan's reader thread, and hand-overs buffered ahead of the consumer. */
  private static final int SCAN_BATCH = 1_000;
  private static final int SCAN_BATCHES_AHEAD = 8;

  private final Jdbi jdbi;
  private final UsageBatchAppender appender;

  /**
   * @param jdbi connected to a database migrated by {@link PostgresMigrator}
   * @param partitions creates the daily partitions the appended events need
   * @param clock ingest timestamps of batches and rows
   */
  public PostgresUsageEventStore(Jdbi jdbi, PartitionMaintainer partitions, TimeSource clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.appender = new UsageBatchAppender(jdbi, IngestStrategy.adapterDefault(),
        Objects.requireNonNull(partitions, "partitions"), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * With the default event-time window for partitions ({@link EventTimeWindow#defaults()}).
   *
   * @param jdbi connected to a database migrated by {@link PostgresMigrator}
   * @param clock ingest timestamps of batches and rows, and "now" for the window
   */
  public PostgresUsageEventStore(Jdbi jdbi, TimeSource clock) {
    this(jdbi, new PartitionMaintainer(jdbi, EventTimeWindow.defaults(), clock), clock);
  }

  @Override
  public AppendResult append(IngestionBatch batch) {
    List<UsageEventRow> rows = new ArrayList<>(batch.events().size());
    List<UsageEvent> events = new ArrayList<>(batch.events().size());
    for (FingerprintedEvent e : batch.events()) {
      rows.add(UsageEventColumns.row(e));
      events.add(e.event());
    }
    IngestSource source = batch.source();
    String kind = source.position().isPresent() ? "stream" : source.requestId().isPresent() ? "http" : "direct";
    UsageBatch usageBatch = new UsageBatch(batchUuid(batch.batchId()), batch.batchId(), kind,
        source.position(),
        source.requestId(), rows, batch.deadLetters(), events, source.lease());
    UsageBatchAppender.Applied applied = translate("usage append", () -> appender.appendWithOutcomes(usageBatch));
    List<AppendOutcome> outcomes = new ArrayList<>(rows.size());
    for (byte b : applied.perRow()) {
      outcomes.add(switch (b) {
        case UsageBatchAppender.INSERTED -> AppendOutcome.INSERTED;
        case UsageBatchAppender.DUPLICATE -> AppendOutcome.DUPLICATE;
        default -> AppendOutcome.CONFLICT;
      });
    }
    return AppendResult.of(outcomes);
  }

  @Override
  public Optional<Long> committedOffset(String stream, String consumer) {
    return translate("committed offset", () -> jdbi.withHandle(h -> h.createQuery(OFFSET)
        .bind("stream", stream)
        .bind("consumer", consumer)
        .mapTo(Long.class)
        .findOne()));
  }

  @Override
  public void scan(EventRange range, Consumer<UsageEvent> sink) {
    // Rows are decoded on a reader thread while the caller consumes the previous batch (1M-row exports spent as
    // long decoding as writing), and the fingerprint, which no scan needs, is not fetched.
    translate("usage scan", () -> {
      ReadAhead.<UsageEvent>stream(row -> jdbi.useTransaction(h -> {
        // A fetch size only streams inside a transaction; otherwise the driver reads the whole result first.
        Query q = h.createQuery("SELECT " + UsageEventColumns.EVENT_LIST + RANGE_FILTER + modelFilter(range)
            + " ORDER BY occurred_at, event_id");
        bindRange(q, range).setFetchSize(SCAN_FETCH_SIZE)
            .map(UsageEventColumns.eventMapper())
            .forEach(row);
      }), sink, SCAN_BATCH, SCAN_BATCHES_AHEAD);
      return null;
    });
  }

  @Override
  public long count(EventRange range) {
    return translate("usage count", () -> jdbi.withHandle(h ->
        bindRange(h.createQuery("SELECT count(*)" + RANGE_FILTER + modelFilter(range)), range)
            .mapTo(Long.class).one()));
  }

  @Override
  public Optional<FingerprintedEvent> find(UsageEventKey key) {
    return translate("usage find", () -> jdbi.withHandle(h -> {
      Optional<Instant> at = h.createQuery(KEY)
          .bind("org", key.orgId())
          .bind("eventId", key.eventId())
          .map((rs, ctx) -> UtcTimestamps.read(rs, "occurred_at"))
          .findOne();
      if (at.isEmpty()) {
        return Optional.empty();
      }
      return h.createQuery(EVENT)
          .bind("org", key.orgId())
          .bind("at", UtcTimestamps.bindable(at.get()))
          .bind("eventId", key.eventId())
          .map((rs, ctx) -> UsageEventColumns.fingerprinted(rs))
          .findOne();
    }));
  }

  @Override
  public List<FingerprintedEvent> conflictingPayloads(UsageEventKey key) {
    return translate("usage conflicts", () -> jdbi.withHandle(h -> h.createQuery(CONFLICTS)
        .bind("org", key.orgId())
        .bind("eventId", key.eventId())
        .map((rs, ctx) -> UsageEventColumns.fingerprinted(rs))
        .list()));
  }

  /** @return the uuid stored for a batch id: the id itself when it is a uuid, else a name-based uuid of it */
  static UUID batchUuid(String batchId) {
    try {
      UUID parsed = UUID.fromString(batchId);
      if (parsed.toString().equalsIgnoreCase(batchId)) {
        return parsed;
      }
    } catch (IllegalArgumentException notAUuid) {
      // fall through to the name-based id
    }
    return UUID.nameUUIDFromBytes(("tally-batch:" + batchId).getBytes(StandardCharsets.UTF_8));
  }

  private static String modelFilter(EventRange range) {
    return range.modelId().isPresent() ? " AND model_id = :model" : "";
  }

  private static Query bindRange(Query q, EventRange range) {
    q.bind("org", range.orgId())
        .bind("start", UtcTimestamps.bindable(range.start()))
        .bind("end", UtcTimestamps.bindable(range.end()));
    range.modelId().ifPresent(m -> q.bind("model", m));
    return q;
  }
}
