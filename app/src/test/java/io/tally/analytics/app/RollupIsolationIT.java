package io.tally.analytics.app;

import static io.tally.analytics.app.UsageCalls.batch;
import static io.tally.analytics.app.UsageCalls.event;
import static io.tally.analytics.app.UsageCalls.json;
import static io.tally.analytics.app.UsageCalls.post;
import static io.tally.analytics.app.UsageCalls.until;
import static io.tally.analytics.app.UsageCalls.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, finding 1: one event dated 1600-01-01 was accepted, and from then on every rollup run failed on a
 * long overflow, so no organisation's new events became visible while readyz said ready and usage said fresh.
 * Now such an event is refused on its own, rows of that kind already stored roll up, and an hour that still
 * cannot be rolled up is quarantined while every other organisation keeps its rollups.
 */
class RollupIsolationIT {
  static final String ORG_OLD = "00000000-0000-0000-0000-0000000001a1";
  static final String ORG_POISON = "00000000-0000-0000-0000-0000000001b1";
  static final String ORG_OTHER = "00000000-0000-0000-0000-0000000001c1";
  static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

  @Test
  void anEventFromTheYear1600IsRefusedAndEveryOtherOrganisationKeepsItsRollups() throws Exception {
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-iso-"),
            Map.of("ROLLUP_INTERVAL", "200ms"))) {
      HttpResponse<String> old = post(tally, ORG_OLD, batch(event("old-1", ORG_OLD, "1600-01-01T00:00:00Z")));
      Instant now = Instant.now();
      post(tally, ORG_OTHER, batch(event("new-1", ORG_OTHER, now.toString())));

      JsonNode other = until(VISIBLE_WITHIN, () -> json(usage(tally, ORG_OTHER, now)),
          u -> u.at("/totals/requests").asLong() == 1);
      assertThat(other.at("/totals/requests").asLong()).as("the other organisation's event is visible: %s", other)
          .isEqualTo(1);
      assertThat(other.at("/freshness/status").asText()).isEqualTo("fresh");
      assertThat(old.statusCode()).isEqualTo(200);
      assertThat(json(old).at("/results/0/status").asText()).as(old.body()).isEqualTo("rejected");
      assertThat(json(old).at("/results/0/errors/0/errorCode").asText()).isEqualTo("event.too_old");
      assertThat(database.usageEvents()).isEqualTo(1);
    }
  }

  @Test
  void aStoredHourThatCannotBeRolledUpIsQuarantinedAndReportedWhileOthersStayFresh() throws Exception {
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-iso-"),
            Map.of("ROLLUP_INTERVAL", "200ms"))) {
      Instant now = Instant.now();
      post(tally, ORG_POISON, batch(event("p-1", ORG_POISON, now.toString())));
      // Rows written before the event-time window existed, or by hand: one from 1600 (it used to overflow the
      // rollup's microsecond conversion, and must simply roll up now) and two whose token sum does not fit a
      // bigint, which no code can roll up.
      storeLegacyRow(database, ORG_OLD, "legacy-1600", OffsetDateTime.parse("1600-01-01T00:30:00Z"), 10);
      storeLegacyRow(database, ORG_POISON, "huge-1", now.atOffset(ZoneOffset.UTC), 5_000_000_000_000_000_000L);
      storeLegacyRow(database, ORG_POISON, "huge-2", now.atOffset(ZoneOffset.UTC), 5_000_000_000_000_000_000L);
      Instant later = Instant.now();
      post(tally, ORG_OTHER, batch(event("o-1", ORG_OTHER, later.toString())));

      JsonNode other = until(VISIBLE_WITHIN, () -> json(usage(tally, ORG_OTHER, later)),
          u -> u.at("/totals/requests").asLong() == 1);
      assertThat(other.at("/totals/requests").asLong()).as("the other organisation's event is visible: %s", other)
          .isEqualTo(1);
      assertThat(other.at("/freshness/status").asText()).isEqualTo("fresh");

      JsonNode poisoned = until(VISIBLE_WITHIN, () -> json(usage(tally, ORG_POISON, now)),
          u -> "error".equals(u.at("/freshness/status").asText()));
      assertThat(poisoned.at("/freshness/status").asText()).as(poisoned.toString()).isEqualTo("error");
      assertThat(poisoned.at("/freshness/reason").asText()).contains("quarantined");

      JsonNode legacy = json(tally.get("/analytics/v1/orgs/" + ORG_OLD + "/usage?start=1600-01-01T00:00:00Z"
          + "&end=1600-01-02T00:00:00Z&granularity=hourly", io.tally.analytics.adapter.http.ActorHeaders.actor(
              "viewer", "viewer", ORG_OLD)));
      assertThat(legacy.at("/totals/requests").asLong()).as(legacy.toString()).isEqualTo(1);

      HttpResponse<String> ready = tally.get("/analytics/v1/status/readyz", Map.of());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(json(ready).at("/components/rollup/status").asText()).as(ready.body()).isEqualTo("degraded");
      assertThat(json(ready).at("/components/rollup/quarantinedHours").asLong()).isEqualTo(1);
      assertThat(tally.get("/metrics", Map.of()).body()).contains("analytics_rollup_failed_hours 1.0",
          "analytics_ready 1.0", "analytics_readiness_component_up{component=\"rollup\"} 1.0");

      // Ten minutes old: verify's freshness check (issue 10) would fail on the quarantined hour's events, which it
      // reports as quarantined instead.
      try (Connection c = database.connect(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE analytics.usage_events SET ingested_at = ingested_at - interval '10 minutes' "
            + "WHERE org_id = '" + ORG_POISON + "'");
      }
      StringWriter out = new StringWriter();
      Instant day = now.truncatedTo(ChronoUnit.DAYS);
      int exit = TallyCli.commandLine(tally.env, new PrintWriter(out, true), new PrintWriter(out, true))
          .execute("verify", "--start", day.toString(), "--end", day.plus(Duration.ofDays(1)).toString());
      assertThat(exit).as(out.toString()).isEqualTo(1);
      assertThat(out.toString()).contains("quarantined org=" + ORG_POISON)
          .contains("org " + ORG_OTHER + " ")
          .containsPattern("VERIFY orgs=2 .*quarantined_hours=1 errors=[0-9]+ .* freshness=ok ")
          .containsPattern("freshness lag=[0-9]+s threshold=300s ok \\(not counting 1 quarantined hour\\(s\\)");
    }
  }

  static void storeLegacyRow(FreshDatabase database, String org, String eventId, OffsetDateTime at,
      long inputTokens) throws Exception {
    try (Connection c = database.connect()) {
      OffsetDateTime day = at.truncatedTo(ChronoUnit.DAYS);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS analytics.usage_events_legacy_" + day.toLocalDate().toString()
            .replace("-", "") + " PARTITION OF analytics.usage_events FOR VALUES FROM ('" + day.toLocalDate()
            + " 00:00:00+00') TO ('" + day.toLocalDate().plusDays(1) + " 00:00:00+00')");
      } catch (java.sql.SQLException partitionAlreadyThere) {
        // the day's partition exists under the adapter's own name
      }
      try (PreparedStatement ps = c.prepareStatement("""
          INSERT INTO analytics.usage_events (org_id, event_id, occurred_at, model_id, input_tokens, output_tokens,
                 cost_micros, latency_ms, status, fingerprint, batch_id, ingested_at)
          VALUES (?, ?, ?, 'llama-3-70b', ?, 1, 1, 5, 'success', 'legacy', ?, now())""")) {
        ps.setObject(1, UUID.fromString(org));
        ps.setString(2, eventId);
        ps.setObject(3, at);
        ps.setLong(4, inputTokens);
        ps.setObject(5, UUID.randomUUID());
        ps.executeUpdate();
      }
      // A row written outside the append path has no rollup delta (V14): its hour must be recomputed from the raw
      // events, so the mark is full even where an append already marked the hour incremental.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO analytics.dirty_hours (org_id, bucket_start) "
          + "VALUES (?, date_trunc('hour', ?::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') "
          + "ON CONFLICT (org_id, bucket_start) DO UPDATE SET full_recompute = true")) {
        ps.setObject(1, UUID.fromString(org));
        ps.setObject(2, at);
        ps.executeUpdate();
      }
    }
  }
}
