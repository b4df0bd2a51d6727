package io.tally.analytics.app;

import static io.tally.analytics.app.RunningTally.actor;
import static io.tally.analytics.app.RunningTally.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.postgres.PostgresPriceBookSource;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.GoldenDataset.DailyExpectation;
import io.tally.analytics.ports.testdata.GoldenDataset.Expected;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DESIGN.md §5 through the real server on a fresh database of the machine's PostgreSQL ({@code DATABASE_URL}):
 * the golden file posted in order in batches of 1,000, the rollup run, then usage and reliability per org.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenOverHttpIT {
  static final int BATCH = 1_000;

  final GoldenDataset golden = GoldenDataset.load();
  final Expected expected = golden.expected();
  final String orgs = expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(","));
  FreshDatabase database;
  RunningTally tally;
  long accepted;
  long duplicates;
  long conflicts;
  long rejected;

  @BeforeAll
  void ingestAndRollUp() throws Exception {
    database = new FreshDatabase();
    tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-golden-"),
        Map.of("ROLLUP_INTERVAL", "1h"));
    // The price book the golden answers were computed with (events without costMicros are priced by it).
    PostgresPriceBookSource prices = new PostgresPriceBookSource(tally.app.services().database().jdbi());
    prices.put(new ModelPrice("llama-3-70b", Instant.parse("2026-01-01T00:00:00Z"), 600_000, 2_400_000));
    prices.put(new ModelPrice("mistral-7b", Instant.parse("2026-01-01T00:00:00Z"), 100_000, 300_000));
    Map<String, String> ingestor = actor("ingest-svc", "ingestor", orgs);
    List<String> lines = golden.rawLines();
    for (int from = 0; from < lines.size(); from += BATCH) {
      String body = "{\"events\": [" + String.join(",", lines.subList(from, Math.min(lines.size(), from + BATCH)))
          + "]}";
      HttpResponse<String> response = tally.send("POST", "/analytics/v1/events", body, ingestor);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode report = json(response);
      accepted += report.get("accepted").asLong();
      duplicates += report.get("duplicates").asLong();
      conflicts += report.get("conflicts").asLong();
      rejected += report.get("rejected").asLong();
    }
    RollupDrain.drain(tally.app.services().rollup());
  }

  @AfterAll
  void stop() {
    if (tally != null) {
      tally.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void countsMatch() {
    assertThat(new long[] {accepted, duplicates, conflicts, rejected}).containsExactly(expected.uniqueValid(),
        expected.duplicates(), expected.conflicts(), expected.invalid());
  }

  @Test
  void usageMatchesExactly() {
    for (UUID org : expected.orgs()) {
      JsonNode usage = get(org, "usage", "");
      assertThat(totals(usage.get("totals"))).as("totals of %s", org).isEqualTo(expected.totals().get(org));
      List<DailyExpectation> rows = rows(org);
      JsonNode series = usage.get("series");
      assertThat(series).hasSize(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        JsonNode got = series.get(i);
        assertThat(got.get("bucketStart").asText()).isEqualTo(rows.get(i).day().toString());
        assertThat(got.get("modelId").asText()).isEqualTo(rows.get(i).modelId());
        assertThat(totals(got)).isEqualTo(rows.get(i).totals());
      }
    }
  }

  @Test
  void percentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres() {
    double alpha = LatencySketch.RELATIVE_ACCURACY;
    for (UUID org : expected.orgs()) {
      JsonNode sketch = get(org, "reliability", "&percentiles=50,95,99");
      JsonNode exact = get(org, "reliability", "&percentiles=50,95,99&percentileMethod=exact");
      List<DailyExpectation> rows = rows(org);
      for (int i = 0; i < rows.size(); i++) {
        DailyExpectation want = rows.get(i);
        JsonNode s = sketch.at("/series/" + i);
        assertThat(s.get("requests").asLong()).isEqualTo(want.totals().requests());
        assertThat(s.get("errors").asLong()).isEqualTo(want.totals().errors());
        String[] keys = {"p50", "p95", "p99"};
        for (int p = 0; p < 3; p++) {
          assertThat(s.at("/latencyMs/" + keys[p]).asDouble()).as("sketch %s of %s", keys[p], want)
              .isBetween(want.brackets()[p][0] * (1 - alpha), want.brackets()[p][1] * (1 + alpha));
          assertThat(exact.at("/series/" + i + "/latencyMs/" + keys[p]).asDouble()).as("exact %s", keys[p])
              .isCloseTo(want.percentiles()[p], offset(1e-6));
        }
      }
    }
  }

  @Test
  void verifyFindsNoDriftAndAnIntactAuditChain() {
    java.io.StringWriter out = new java.io.StringWriter();
    int exit = TallyCli.commandLine(tally.env, new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(new java.io.StringWriter(), true))
        .execute("verify", "--start", expected.start().toString(), "--end", expected.end().toString());
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("VERIFY orgs=" + expected.orgs().size() + " ", "drifting=0", "audit=ok");
  }

  private JsonNode get(UUID org, String api, String extra) {
    HttpResponse<String> response = tally.get("/analytics/v1/orgs/" + org + "/" + api + "?start="
        + expected.start() + "&end=" + expected.end() + "&granularity=daily" + extra, actor("dash", "viewer", orgs));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private List<DailyExpectation> rows(UUID org) {
    return expected.daily().stream().filter(d -> d.orgId().equals(org)).toList();
  }

  private static UsageTotals totals(JsonNode n) {
    return new UsageTotals(n.get("requests").asLong(), n.get("errors").asLong(), n.get("inputTokens").asLong(),
        n.get("outputTokens").asLong(), n.get("costMicros").asLong());
  }
}
