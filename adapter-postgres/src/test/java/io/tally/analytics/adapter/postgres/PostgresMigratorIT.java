package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.usage.EventTimeWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresMigratorIT {

  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Test
  void migratingAnUpToDateSchemaAppliesNothing() {
    assertThat(PostgresMigrator.migrate(db.dataSource())).isZero();
  }

  @Test
  void createsEveryTableInTheAnalyticsSchema() {
    List<String> tables =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'analytics'")
                        .mapTo(String.class)
                        .list());
    assertThat(tables)
        .contains(
            "usage_events", "usage_event_keys", "usage_event_conflicts", "ingestion_batches",
            "dead_letters", "stream_offsets", "dirty_hours", "usage_rollup_hourly", "usage_rollup_daily",
            "freshness_watermarks", "freshness_clean_as_of", "export_jobs", "audit_log", "routes", "price_book", "analytics_events");
  }

  @Test
  void usageEventsIsRangePartitionedWithoutADefaultPartition() {
    String strategy =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'analytics.usage_events'::regclass")
                        .mapTo(String.class)
                        .one());
    long defaults =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM pg_partitioned_table WHERE partdefid <> 0")
                        .mapTo(Long.class)
                        .one());
    assertThat(strategy).isEqualTo("r");
    assertThat(defaults).isZero();
  }

  @Test
  void auditLogRejectsUpdateDeleteAndTruncate() {
    Jdbi jdbi = db.jdbi();
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO analytics.audit_log (sequence, at, actor, action, permission, scope, decision,"
                    + " reason, prev_hash, hash) VALUES (1, now(), 'alice', 'usage.read', 'analytics:usage:read',"
                    + " 'org:a', 'allow', 'granted', repeat('0', 64), repeat('a', 64))"));
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE analytics.audit_log SET actor = 'eve'")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("DELETE FROM analytics.audit_log")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("TRUNCATE analytics.audit_log")))
        .hasMessageContaining("append-only");
  }

  /** Issue 8, finding 2: one request of 365 events on 365 days of 1900 created 730 tables. */
  @Test
  void partitionsAreCreatedOnlyInsideTheEventTimeWindow() {
    java.time.Instant now = java.time.Instant.parse("2026-12-06T12:00:00Z");
    PartitionMaintainer m = new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), () -> now);
    assertThatThrownBy(() -> m.ensureDays(List.of(LocalDate.parse("1900-01-01"))))
        .isInstanceOfSatisfying(io.tally.analytics.core.TallyException.class,
            e -> assertThat(e.errorCode()).isEqualTo(PartitionMaintainer.OUTSIDE_WINDOW))
        .hasMessageContaining("1900-01-01");
    assertThatThrownBy(() -> m.ensureDays(List.of(LocalDate.parse("2026-12-08"))))
        .isInstanceOf(io.tally.analytics.core.TallyException.class);
    assertThatThrownBy(() -> m.ensureRange(LocalDate.parse("2025-10-01"), LocalDate.parse("2025-11-01")))
        .as("a range reaching before the window creates nothing").isInstanceOf(io.tally.analytics.core.TallyException.class);
    assertThat(m.ensureDays(List.of(LocalDate.parse("2025-11-01"), LocalDate.parse("2026-12-07")))).isEqualTo(2);
  }

  @Test
  void partitionsAreCreatedOnceEvenWhenInstancesRace() throws Exception {
    java.time.Instant march2031 = java.time.Instant.parse("2031-03-15T00:00:00Z");
    LocalDate from = LocalDate.parse("2031-03-01");
    LocalDate to = LocalDate.parse("2031-03-15");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> instances = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // A maintainer per "instance": none of them shares the in-memory cache of another.
        PartitionMaintainer m = new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), () -> march2031);
        instances.add(() -> m.ensureRange(from, to));
      }
      int created = 0;
      for (Future<Integer> f : pool.invokeAll(instances)) {
        created += f.get();
      }
      assertThat(created).isEqualTo(14);
    } finally {
      pool.shutdownNow();
    }
    assertThat(new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), () -> march2031).ensureRange(from, to)).isZero();
    long partitions =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'analytics.usage_events'::regclass"
                                + " AND inhrelid::regclass::text LIKE 'analytics.usage_events_p203103%'")
                        .mapTo(Long.class)
                        .one());
    assertThat(partitions).isEqualTo(14);
  }

  @Test
  void v6KeepsOldStreamDeadLettersAndReadsThemWithTheirBatchOffset() throws Exception {
    String name = TestDatabases.create("v6_dead_letters");
    try {
      DataSource ds = TestDatabases.dataSource(name);
      Flyway.configure().dataSource(ds).schemas(PostgresMigrator.SCHEMA).defaultSchema(PostgresMigrator.SCHEMA)
          .createSchemas(true).locations("classpath:db/migration/tally").placeholderReplacement(false)
          .target("5").load().migrate();
      Jdbi jdbi = Jdbi.create(ds);
      // Before V6 every letter of a stream batch carried the batch's last offset.
      for (String payload : List.of("first", "second")) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO analytics.dead_letters (received_at, error_codes, payload,"
                + " source, stream, consumer, stream_offset, batch_ref) VALUES (now(), ARRAY['event.invalid'],"
                + " :payload, 'stream', 's', 'c', 41, 'old-batch')")
            .bind("payload", payload).execute());
      }

      assertThat(PostgresMigrator.migrate(ds)).isPositive();

      long moved = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM analytics.dead_letters"
          + " WHERE stream_offset IS NULL AND batch_last_offset = 41").mapTo(Long.class).one());
      assertThat(moved).isEqualTo(2);
      assertThat(new PostgresDeadLetterStore(jdbi).latest(5)).extracting(l -> l.messageOffset().orElseThrow())
          .containsExactly(41L, 41L);
      jdbi.useHandle(h -> h.execute("INSERT INTO analytics.dead_letters (received_at, error_codes, payload,"
          + " source, stream, consumer, stream_offset) VALUES (now(), ARRAY['x'], 'p', 'stream', 's', 'c', 7)"));
      assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO analytics.dead_letters (received_at,"
          + " error_codes, payload, source, stream, consumer, stream_offset)"
          + " VALUES (now(), ARRAY['x'], 'p', 'stream', 's', 'c', 7)")))
          .hasMessageContaining("dead_letters_stream_message");
    } finally {
      TestDatabases.drop(name);
    }
  }
}
