package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;

/**
 * Empties the usage tables between contract tests (the suites want a fresh store per test, the database is
 * per class), keeping the partitions.
 */
final class UsageTables {
  /** Ingest timestamps in tests: fixed, after every test event. */
  static final TimeSource CLOCK = () -> Instant.parse("2026-11-01T00:00:00Z");

  private UsageTables() {}

  static void empty(TestDatabases db) {
    db.jdbi().useHandle(h -> h.execute("ALTER DATABASE " + db.databaseName() + " SET synchronous_commit = off"));
    db.jdbi().useTransaction(h -> h.execute("TRUNCATE analytics.usage_events, analytics.usage_event_keys,"
        + " analytics.usage_event_conflicts, analytics.ingestion_batches, analytics.dead_letters,"
        + " analytics.stream_offsets, analytics.dirty_hours, analytics.usage_rollup_deltas,"
        + " analytics.usage_rollup_hourly, analytics.usage_rollup_daily, analytics.freshness_watermarks, analytics.freshness_clean_as_of,"
        + " analytics.rollup_quarantine"));
  }
}
