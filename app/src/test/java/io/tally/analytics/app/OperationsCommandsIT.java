package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import io.tally.analytics.ports.out.IngestionBatch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator's commands on real databases: {@code tally smoke} against a running server (and against nothing),
 * {@code tally rollup --refresh} repairing a rollup from raw events, housekeeping (raw days, dead letters, audit
 * segments) with what {@code tally verify} then reports, a tampered segment and a freshness lag over 5 minutes
 * failing {@code verify}.
 */
class OperationsCommandsIT {
  record Run(int exit, String out, String err) {}

  static Run tally(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void smokePassesAgainstARunningServerAndFailsAgainstNone() throws Exception {
    String org = "00000000-0000-0000-0000-00000000501e";
    try (FreshDatabase database = new FreshDatabase();
        RunningTally server = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-smoke-"),
            Map.of("ROLLUP_INTERVAL", "200ms"))) {
      Run run = tally(Map.of(), "smoke", "--url", server.baseUrl, "--org-id", org, "--actor-subject", "ops",
          "--actor-roles", "admin");
      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("ok   healthz", "ok   readyz", "ok   metrics", "ok   openapi", "ok   ingest smoke-",
          "ok   usage shows the event", "ok   reliability", "ok   another organisation is refused",
          "SMOKE checks=8 failed=0");
    }
    Run nothing = tally(Map.of(), "smoke", "--url", "http://127.0.0.1:9", "--org-id", org, "--timeout-seconds", "1");
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.out()).contains("FAIL healthz no answer from http://127.0.0.1:9", "SMOKE checks=8 failed=8");
  }

  @Test
  void rollupRefreshRecomputesHoursFromRawEvents() throws Exception {
    String org = "00000000-0000-0000-0000-0000000000f5";
    Instant hour = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
    try (FreshDatabase database = new FreshDatabase()) {
      Map<String, String> env = Map.of("DATABASE_URL", database.url(), "DATA_DIR",
          Files.createTempDirectory("tally-refresh-").toString());
      try (RunningTally server = RunningTally.onDatabase(database.url(), Path.of(env.get("DATA_DIR")),
          Map.of("ROLLUP_INTERVAL", "200ms"))) {
        String events = """
            {"events": [{"eventId": "r-1", "orgId": "%s", "occurredAt": "%s", "modelId": "m", "inputTokens": 3,
              "outputTokens": 1, "costMicros": 2, "latencyMs": 10, "status": "success"}]}""".formatted(org, hour);
        assertThat(server.send("POST", "/analytics/v1/events", events, actor("bot", "admin", org)).statusCode())
            .isBetween(200, 299);
      }
      assertThat(tally(env, "rollup").out()).contains("ROLLUP marked_hours=0");
      sql(database, "UPDATE analytics.usage_rollup_hourly SET requests = 999 WHERE org_id = '" + org + "'");
      assertThat(tally(env, "rollup", "--org", org).exit()).as("--org needs --refresh").isEqualTo(2);
      Run refresh = tally(env, "rollup", "--refresh", "--org", org, "--from", hour.toString());
      assertThat(refresh.exit()).as(refresh.err()).isZero();
      assertThat(refresh.out()).contains("marked 1 hours dirty", "ROLLUP marked_hours=1 events_read=1 dirty_remaining=0");
      try (Connection c = database.connect()) {
        assertThat(FreshDatabase.queryLong(c, "SELECT requests FROM analytics.usage_rollup_hourly WHERE org_id = ?::uuid",
            org)).isEqualTo(1);
      }
    }
  }

  @Test
  void housekeepingDropsArchivesAndVerifyReportsItAndFailsOnTamperingAndStaleness() throws Exception {
    UUID org = UUID.fromString("00000000-0000-0000-0000-0000000000b7");
    Path dataDir = Files.createTempDirectory("tally-housekeeping-");
    try (FreshDatabase database = new FreshDatabase()) {
      // MAX_EVENT_AGE past RETENTION_RAW_DAYS (400) so the store makes a partition for the 450-day-old day below: with
      // the default window (issue 8) no such day can be stored any more.
      Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", database.url(), "DATA_DIR", dataDir.toString(),
          "RETENTION_AUDIT_DAYS", "30", "RETENTION_DEAD_LETTERS_DAYS", "90", "MAX_EVENT_AGE", "460d"));
      TallyConfig config = TallyConfig.fromEnvironment(env);
      Instant now = Instant.now();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (TallyServices services = TallyServices.open(config, TallyApplication.WALL_CLOCK)) {
        // A raw day past the 400-day window (stored directly: the ingest use case refuses such events), a recent one.
        services.usageEvents().append(new IngestionBatch("old", IngestSource.direct(), List.of(
            event(org, "old-1", now.minus(Duration.ofDays(450))), event(org, "new-1", now.minus(Duration.ofDays(2))))));
        for (int i = 0; i < 40; i++) {
          services.auditLog().append(new AuditEntry(now.minus(Duration.ofDays(60 - i).minusHours(12)), "alice", "usage.query",
              "analytics:usage:read", "org:" + org, AuditEntry.ALLOW, "granted"));
        }
        sql(database, "INSERT INTO analytics.dead_letters (received_at, error_codes, payload, source) VALUES "
            + "(now() - interval '100 days', ARRAY['event.invalid'], '{}', 'http'), "
            + "(now() - interval '1 day', ARRAY['event.invalid'], '{}', 'http')");
        Housekeeping housekeeping = new Housekeeping(services.retention(), services.postgresAuditLog(),
            new AuditSegments(TallyApplication.auditArchive(config)), config.operations().retention(),
            TallyApplication.WALL_CLOCK, registry, Tracing.off());
        Housekeeping.Report report = housekeeping.runOnce();
        assertThat(report.rawDaysDropped()).isEqualTo(1);
        assertThat(report.keysDeleted()).isEqualTo(1);
        assertThat(report.deadLettersDeleted()).isEqualTo(1);
        assertThat(report.auditRecordsArchived()).as("records older than 30 days").isEqualTo(30);
        assertThat(registry.get("analytics_retention_audit_records_archived").counter().count()).isEqualTo(30);
        assertThat(registry.get("analytics_retention_raw_days_dropped").counter().count()).isEqualTo(1);
        assertThat(housekeeping.runOnce()).as("nothing left to do").isEqualTo(new Housekeeping.Report(0, 0, 0, 0));
      }
      Path segment = TallyApplication.auditArchive(config).resolve("audit-1-30.jsonl");
      assertThat(Files.readAllLines(segment)).hasSize(30);

      Run verify = tally(env, "verify", "--days", "9");
      assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
      assertThat(verify.out()).containsPattern("freshness lag=[0-9]s threshold=300s ok")
          .contains("retention raw_days=400 oldest_raw_day=", "days_past_window=0 ok",
              "retention dead_letters_days=90 oldest_dead_letter=", "audit chain verified from checkpoint=30",
              "audit archive segments=1 verified=1 missing=0 broken=0")
          .containsPattern(" audit=ok freshness_lag=[0-9]s freshness=ok audit_checkpoint=30 audit_segments=1");

      Files.writeString(segment, Files.readString(segment).replaceFirst("granted", "denied!"), StandardCharsets.UTF_8);
      Run tampered = tally(env, "verify", "--days", "9");
      assertThat(tampered.exit()).isEqualTo(1);
      assertThat(tampered.out()).contains("segment BROKEN: audit-1-30.jsonl: SHA-256 differs", " audit=broken ");

      Files.delete(segment);
      Run missing = tally(env, "verify", "--days", "9");
      assertThat(missing.out()).contains("segment not found here (moved to cold storage?): audit-1-30.jsonl");
      assertThat(missing.exit()).as("a segment moved elsewhere is reported, not a failure").isZero();

      try (TallyServices services = TallyServices.open(config, TallyApplication.WALL_CLOCK)) {
        services.usageEvents().append(new IngestionBatch("late", IngestSource.direct(),
            List.of(event(org, "waiting-1", now.minus(Duration.ofHours(1))))));
      }
      // As if no rollup had run for 11 minutes and the event had arrived 10 minutes ago.
      sql(database, "UPDATE analytics.usage_events SET ingested_at = now() - interval '10 minutes' "
          + "WHERE event_id = 'waiting-1'");
      sql(database, "UPDATE analytics.freshness_watermarks SET last_rollup_at = now() - interval '11 minutes', "
          + "watermark = now() - interval '11 minutes'");
      Run stale = tally(env, "verify", "--days", "9");
      assertThat(stale.exit()).isEqualTo(1);
      assertThat(stale.out()).containsPattern("freshness lag=(59[0-9]|6[0-9][0-9])s threshold=300s FAIL")
          .contains(" freshness=FAIL ");
      assertThat(tally(env, "verify", "--days", "9").exit()).as("the first verify rolled it up").isZero();
    }
  }

  private static FingerprintedEvent event(UUID org, String id, Instant at) {
    return FingerprintedEvent.of(new UsageEvent(id, org, at.truncatedTo(ChronoUnit.MILLIS), "m", Optional.empty(),
        Optional.empty(), 1, 1, Optional.of(1L), 5, UsageStatus.SUCCESS, Optional.empty(), Optional.empty()));
  }

  private static void sql(FreshDatabase database, String statement) throws Exception {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
