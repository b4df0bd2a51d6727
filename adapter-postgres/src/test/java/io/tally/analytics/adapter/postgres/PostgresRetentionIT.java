package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.testdata.Actors;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on a real database: whole raw-event days go with their keys, conflicts and dirty hours while rollups
 * stay; old dead letters go; old audit records move to a segment behind a checkpoint whose hash is kept, the stored
 * chain verifies from it, and the database refuses to delete a record the checkpoint does not cover.
 */
class PostgresRetentionIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

  private static FingerprintedEvent event(String id, Instant at, long tokens) {
    return FingerprintedEvent.of(new UsageEvent(id, ORG, at, "m", Optional.empty(), Optional.empty(), tokens, 1,
        Optional.of(10L), 50, UsageStatus.SUCCESS, Optional.empty(), Optional.empty()));
  }

  private PartitionMaintainer partitions() {
    return new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), () -> NOW);
  }

  private long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Test
  void oldRawDaysAreDroppedWithTheirKeysAndDirtyHoursAndRollupsStay() {
    PostgresUsageModule tally = new PostgresUsageModule(db.jdbi(), NOW);
    Instant old = Instant.parse("2026-10-01T10:00:00Z");
    Instant recent = Instant.parse("2026-10-20T10:00:00Z");
    tally.events.append(new IngestionBatch("b1", IngestSource.direct(),
        List.of(event("o-1", old, 5), event("o-2", old, 7), event("r-1", recent, 3))));
    tally.rollup.run(new RunRollupCommand(Actors.system(), 1000, 100));
    // A late conflicting resend of an old event, and an old hour dirty again, both for the day that goes.
    tally.events.append(new IngestionBatch("b2", IngestSource.direct(), List.of(event("o-1", old, 6),
        event("o-3", old.plusSeconds(60), 1))));
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours")).isEqualTo(1);

    PostgresRetention retention = new PostgresRetention(db.jdbi(), partitions());
    assertThat(retention.rawDays()).contains(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-20"));
    PostgresRetention.RawDropped dropped = retention.dropRawBefore(LocalDate.parse("2026-10-02"));

    assertThat(dropped.days()).containsExactly(LocalDate.parse("2026-10-01"));
    assertThat(dropped.keys()).isEqualTo(3);
    assertThat(retention.rawDays()).doesNotContain(LocalDate.parse("2026-10-01")).contains(LocalDate.parse("2026-10-20"));
    assertThat(count("SELECT count(*) FROM analytics.usage_events")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM analytics.usage_event_keys")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM analytics.usage_event_conflicts")).isZero();
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours")).as("the old hour cannot be recomputed").isZero();
    assertThat(count("SELECT coalesce(sum(requests), 0) FROM analytics.usage_rollup_hourly "
        + "WHERE bucket_start < '2026-10-02'")).as("rollups of the dropped day stay").isEqualTo(2);
    tally.rollup.run(new RunRollupCommand(Actors.system(), 1000, 100));
    assertThat(count("SELECT coalesce(sum(requests), 0) FROM analytics.usage_rollup_daily")).isEqualTo(3);
    assertThat(retention.dropRawBefore(LocalDate.parse("2026-10-02")).days()).as("idempotent").isEmpty();
  }

  @Test
  void deadLettersOlderThanTheWindowAreDeleted() {
    db.jdbi().useHandle(h -> {
      for (int i = 0; i < 25_000; i++) {
        h.createUpdate("INSERT INTO analytics.dead_letters (received_at, error_codes, payload, source) "
            + "VALUES (:at, ARRAY['event.invalid'], '{}', 'http')")
            .bind("at", java.sql.Timestamp.from(Instant.parse(i < 20_001 ? "2026-01-01T00:00:00Z" : "2026-10-30T00:00:00Z")))
            .execute();
      }
    });
    PostgresRetention retention = new PostgresRetention(db.jdbi(), partitions());
    assertThat(retention.oldestDeadLetter()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(retention.deleteDeadLettersBefore(Instant.parse("2026-08-01T00:00:00Z"))).isEqualTo(20_001);
    assertThat(count("SELECT count(*) FROM analytics.dead_letters")).isEqualTo(4_999);
    assertThat(retention.oldestDeadLetter()).contains(Instant.parse("2026-10-30T00:00:00Z"));
  }

  @Test
  void oldAuditRecordsMoveToASegmentEndingAtAKeptCheckpoint() {
    PolicyTables.empty(db);
    PostgresAuditLog log = new PostgresAuditLog(db.jdbi());
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < 10; i++) {
      log.append(new AuditEntry(t0.plusSeconds(86_400L * i), "alice", "usage.query", "analytics:usage:read",
          "org:" + ORG, AuditEntry.ALLOW, "granted"));
    }
    List<AuditRecord> archived = new ArrayList<>();
    Optional<PostgresAuditLog.Checkpoint> checkpoint = log.archiveBefore(t0.plusSeconds(86_400L * 6), 1_000,
        Instant.parse("2026-01-01T00:00:00Z"), records -> {
          archived.addAll(records);
          return new PostgresAuditLog.Segment("audit-1-6.jsonl", "a".repeat(64));
        });

    assertThat(archived).extracting(AuditRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(checkpoint.orElseThrow().end()).isEqualTo(archived.get(5).head());
    assertThat(AuditChain.verify(archived)).as("the segment verifies from genesis").isEmpty();
    assertThat(log.checkpoint()).isEqualTo(archived.get(5).head());
    assertThat(log.range(1, 100)).extracting(AuditRecord::sequence).containsExactly(7L, 8L, 9L, 10L);
    assertThat(log.verify()).as("the stored chain verifies from the checkpoint").isEmpty();
    assertThat(log.verifyAgainst(log.head())).isEmpty();
    assertThat(log.checkpoints()).hasSize(1);

    assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("DELETE FROM analytics.audit_log WHERE sequence = 8")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("DELETE FROM analytics.audit_checkpoints")))
        .hasMessageContaining("append-only");
    assertThat(log.archiveBefore(t0, 1_000, Instant.now(), records -> {
      throw new AssertionError("nothing is old enough");
    })).isEmpty();

    log.append(new AuditEntry(Instant.parse("2026-01-02T00:00:00Z"), "bob", "usage.query", "analytics:usage:read",
        "org:" + ORG, AuditEntry.DENY, "cross-org"));
    assertThat(log.verify()).isEmpty();
    assertThat(log.head().sequence()).isEqualTo(11);
  }
}
