package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Retention of raw data (docs/operations.md, "Retention and housekeeping"): whole daily partitions of
 * {@code analytics.usage_events} older than the window are dropped, with the dedup keys, conflicts and dirty hours
 * of their day, and dead letters older than theirs are deleted. Rollups are never touched: usage and reliability
 * stay answerable for any range after the raw events are gone.
 *
 * <p>Each day goes in one transaction: its keys (found through the partition, by primary key, as V1 planned: no
 * index on {@code usage_event_keys.occurred_at} is paid by every ingested event), its conflicts and dirty hours, then
 * the partition itself. A dirty hour must go with its raw rows, or the next rollup would recompute it from nothing
 * and erase its rollup. A crash between days leaves whole days either way.
 */
public final class PostgresRetention {
  private static final Pattern PARTITION = Pattern.compile("usage_events_p(\\d{8})");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final String PARTITIONS = """
      SELECT c.relname FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'analytics.usage_events'::regclass
      """;
  private static final int DEAD_LETTER_CHUNK = 10_000;

  /** What one raw retention run removed. */
  public record RawDropped(List<LocalDate> days, long keys) {
    /** Copies. */
    public RawDropped {
      days = List.copyOf(days);
    }
  }

  private final Jdbi jdbi;
  private final PartitionMaintainer partitions;

  /**
   * @param jdbi connected to a migrated database
   * @param partitions this instance's partition cache, told to forget dropped days
   */
  public PostgresRetention(Jdbi jdbi, PartitionMaintainer partitions) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.partitions = Objects.requireNonNull(partitions, "partitions");
  }

  /** @return the UTC days that have a raw-event partition, oldest first */
  public List<LocalDate> rawDays() {
    return translate("retention partitions", () -> jdbi.withHandle(h -> h.createQuery(PARTITIONS)
        .mapTo(String.class).list()).stream().map(PARTITION::matcher).filter(Matcher::matches)
        .map(m -> LocalDate.parse(m.group(1), DAY)).sorted().toList());
  }

  /**
   * Drops every raw-event partition of a day before {@code firstKeptDay}, with that day's keys, conflicts and dirty
   * hours.
   */
  public RawDropped dropRawBefore(LocalDate firstKeptDay) {
    List<LocalDate> dropped = new ArrayList<>();
    long keys = 0;
    for (LocalDate day : rawDays()) {
      if (!day.isBefore(firstKeptDay)) {
        break;
      }
      keys += dropDay(day);
      dropped.add(day);
    }
    if (!dropped.isEmpty()) {
      partitions.forgetKnownPartitions();
    }
    return new RawDropped(dropped, keys);
  }

  private long dropDay(LocalDate day) {
    String partition = "analytics." + PartitionMaintainer.partitionName(day);
    Timestamp from = Timestamp.from(day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    Timestamp to = Timestamp.from(day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    return translate("retention drop " + day, () -> jdbi.inTransaction(h -> {
      int keys = h.createUpdate("DELETE FROM analytics.usage_event_keys k USING " + partition + " p "
          + "WHERE k.org_id = p.org_id AND k.event_id = p.event_id AND k.occurred_at = p.occurred_at").execute();
      h.createUpdate("DELETE FROM analytics.usage_event_conflicts WHERE occurred_at >= :from AND occurred_at < :to")
          .bind("from", from).bind("to", to).execute();
      h.createUpdate("DELETE FROM analytics.dirty_hours WHERE bucket_start >= :from AND bucket_start < :to")
          .bind("from", from).bind("to", to).execute();
      // With their marks gone nothing merges them any more (as before V14, the day's unrolled events are lost).
      h.createUpdate("DELETE FROM analytics.usage_rollup_deltas WHERE bucket_start >= :from AND bucket_start < :to")
          .bind("from", from).bind("to", to).execute();
      h.execute("DROP TABLE " + partition);
      return (long) keys;
    }));
  }

  /** @return the oldest dead letter's receipt time, if any */
  public Optional<Instant> oldestDeadLetter() {
    return translate("retention dead letters", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT min(received_at) FROM analytics.dead_letters").mapTo(Timestamp.class).findOne()
        .map(Timestamp::toInstant)));
  }

  /** Deletes dead letters received before {@code cutoff}, in chunks so no lock is held long; @return how many */
  public long deleteDeadLettersBefore(Instant cutoff) {
    long total = 0;
    int deleted;
    do {
      deleted = translate("retention dead letters", () -> jdbi.withHandle(h -> h.createUpdate("""
              DELETE FROM analytics.dead_letters WHERE id IN (
                SELECT id FROM analytics.dead_letters WHERE received_at < :cutoff ORDER BY received_at LIMIT :chunk)
              """).bind("cutoff", Timestamp.from(cutoff)).bind("chunk", DEAD_LETTER_CHUNK).execute()));
      total += deleted;
    } while (deleted == DEAD_LETTER_CHUNK);
    return total;
  }
}
