package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates the daily partitions of {@code analytics.usage_events}: ahead of time at start, and on demand
 * before a batch that carries late (or far-future) events is appended.
 *
 * <p>Only days inside the event-time window ({@link EventTimeWindow}, read at the time source's now) get a
 * partition: the ingest use case refuses events outside it, and this refuses to create tables for them should
 * anything else ask, so one request can never create hundreds of tables for a distant century again (issue 8:
 * 365 events on 365 days of 1900 created 730).
 *
 * <p>Idempotent and safe with several app instances: creation runs under one transaction-scoped advisory
 * lock with {@code CREATE TABLE IF NOT EXISTS ... PARTITION OF}, so two instances racing for the same day
 * both succeed and exactly one table exists. Creating a partition takes an ACCESS EXCLUSIVE lock on the
 * parent, which is why this runs in its own short transaction and never inside an append transaction.
 */
public final class PartitionMaintainer {

  /** Arbitrary but fixed: the advisory lock key shared by every instance that creates partitions. */
  private static final long PARTITION_LOCK_KEY = 0x7461_6c6c_7970_6172L; // "tallypar"

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

  private static final String EXISTING_PARTITIONS =
      """
      SELECT c.relname
        FROM pg_catalog.pg_inherits i
        JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'analytics.usage_events'::regclass
      """;

  /** Error code of a request for a partition outside the event-time window. */
  public static final String OUTSIDE_WINDOW = "store.partition_outside_window";

  private final Jdbi jdbi;
  private final EventTimeWindow window;
  private final TimeSource clock;
  private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

  /**
   * @param jdbi connected to a migrated database
   * @param window the days a partition may be created for, relative to the clock
   * @param clock what "now" is for the window
   */
  public PartitionMaintainer(Jdbi jdbi, EventTimeWindow window, TimeSource clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Partition table name for a UTC day, e.g. {@code usage_events_p20261001}. */
  public static String partitionName(LocalDate day) {
    return "usage_events_p" + SUFFIX.format(day);
  }

  /** Ensures a partition for every day in {@code [from, toExclusive)}; returns how many it created. */
  public int ensureRange(LocalDate from, LocalDate toExclusive) {
    SortedSet<LocalDate> days = new TreeSet<>();
    for (LocalDate d = from; d.isBefore(toExclusive); d = d.plusDays(1)) {
      days.add(d);
    }
    return ensureDays(days);
  }

  /**
   * Ensures a partition exists for each UTC day; returns how many this call created. Days already seen by
   * this instance cost nothing (no round trip), which keeps the per-batch check off the hot path.
   */
  public int ensureDays(Collection<LocalDate> days) {
    requireInsideWindow(days);
    SortedSet<LocalDate> unknown = new TreeSet<>();
    for (LocalDate day : days) {
      if (!known.contains(day)) {
        unknown.add(day);
      }
    }
    if (unknown.isEmpty()) {
      return 0;
    }
    List<String> existing =
        jdbi.withHandle(h -> h.createQuery(EXISTING_PARTITIONS).mapTo(String.class).list());
    SortedSet<LocalDate> missing = new TreeSet<>();
    for (LocalDate day : unknown) {
      if (existing.contains(partitionName(day))) {
        known.add(day);
      } else {
        missing.add(day);
      }
    }
    if (missing.isEmpty()) {
      return 0;
    }
    int created =
        jdbi.inTransaction(
            h -> {
              h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)")
                  .bind("key", PARTITION_LOCK_KEY)
                  .mapTo(Integer.class)
                  .one();
              // Re-read under the lock: another instance may have created some of them meanwhile.
              List<String> now = h.createQuery(EXISTING_PARTITIONS).mapTo(String.class).list();
              int n = 0;
              for (LocalDate day : missing) {
                if (!now.contains(partitionName(day))) {
                  h.execute(createStatement(day));
                  n++;
                }
              }
              return n;
            });
    known.addAll(missing);
    return created;
  }

  private void requireInsideWindow(Collection<LocalDate> days) {
    Instant now = clock.now();
    // A day of slack on each side: an event validated at the edge of the window an instant ago must still get its
    // partition when the window has moved past midnight since.
    LocalDate first = LocalDate.ofInstant(window.earliest(now), ZoneOffset.UTC).minusDays(1);
    LocalDate last = LocalDate.ofInstant(window.latest(now), ZoneOffset.UTC).plusDays(1);
    for (LocalDate day : days) {
      if (day.isBefore(first) || day.isAfter(last)) {
        throw new TallyException(TallyException.Kind.FAULT, OUTSIDE_WINDOW,
            "no partition is created for " + day + ": events are accepted from "
            + first + " to " + last + " (MAX_EVENT_AGE, MAX_CLOCK_SKEW)");
      }
    }
  }

  /** Forgets what this instance has seen, e.g. after partitions were dropped by retention. */
  public void forgetKnownPartitions() {
    known.clear();
  }

  static String createStatement(LocalDate day) {
    // Bounds carry an explicit +00 so the session time zone cannot shift a day boundary.
    return "CREATE TABLE IF NOT EXISTS analytics."
        + partitionName(day)
        + " PARTITION OF analytics.usage_events FOR VALUES FROM ('"
        + day
        + " 00:00:00+00') TO ('"
        + day.plusDays(1)
        + " 00:00:00+00')";
  }
}
