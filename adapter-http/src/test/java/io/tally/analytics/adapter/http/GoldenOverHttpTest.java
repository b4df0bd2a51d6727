package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.GoldenDataset.DailyExpectation;
import io.tally.analytics.ports.testdata.GoldenDataset.Expected;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** DESIGN.md §5 through HTTP: the golden file posted in batches, then read back through the usage APIs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenOverHttpTest {
  static final int BATCH = 5_000;

  final GoldenDataset golden = GoldenDataset.load();
  final Expected expected = golden.expected();
  final ApiFixture api = new ApiFixture();
  final Map<String, String> ingestor = ApiFixture.actor("ingest-svc", "ingestor",
      expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(",")));
  final Map<String, String> reader = ApiFixture.actor("dash", "viewer",
      expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(",")));
  long accepted;
  long duplicates;
  long conflicts;
  long rejected;

  @BeforeAll
  void ingestAndRollUp() {
    List<String> lines = golden.rawLines();
    for (int from = 0; from < lines.size(); from += BATCH) {
      String body = "{\"events\": [" + String.join(",", lines.subList(from, Math.min(lines.size(), from + BATCH)))
          + "]}";
      HttpResponse<String> response = api.send("POST", "/analytics/v1/events", body, ingestor);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode report = TestServer.json(response);
      accepted += report.get("accepted").asLong();
      duplicates += report.get("duplicates").asLong();
      conflicts += report.get("conflicts").asLong();
      rejected += report.get("rejected").asLong();
    }
    api.rollUp();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void countsMatch() {
    assertThat(new long[] {accepted, duplicates, conflicts, rejected}).containsExactly(expected.uniqueValid(),
        expected.duplicates(), expected.conflicts(), expected.invalid());
    assertThat(api.deadLetters.count()).isEqualTo(expected.invalid());
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
      assertThat(totals(get(org, "usage", "&groupBy=none").get("totals"))).isEqualTo(expected.totals().get(org));
    }
  }

  @Test
  void sketchPercentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres() {
    double alpha = LatencySketch.RELATIVE_ACCURACY;
    for (UUID org : expected.orgs()) {
      JsonNode sketch = get(org, "reliability", "&percentiles=50,95,99");
      JsonNode exact = get(org, "reliability", "&percentiles=50,95,99&percentileMethod=exact");
      assertThat(sketch.get("relativeAccuracy").asDouble()).isEqualTo(alpha);
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

  private JsonNode get(UUID org, String api, String extra) {
    HttpResponse<String> response = this.api.send("GET", "/analytics/v1/orgs/" + org + "/" + api + "?start="
        + expected.start() + "&end=" + expected.end() + "&granularity=daily" + extra, null, reader);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestServer.json(response);
  }

  private List<DailyExpectation> rows(UUID org) {
    return expected.daily().stream().filter(d -> d.orgId().equals(org)).toList();
  }

  private static UsageTotals totals(JsonNode n) {
    return new UsageTotals(n.get("requests").asLong(), n.get("errors").asLong(), n.get("inputTokens").asLong(),
        n.get("outputTokens").asLong(), n.get("costMicros").asLong());
  }
}
