package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.testdata.GoldenDataset.DailyExpectation;
import io.tally.analytics.ports.testdata.GoldenDataset.Expected;
import java.util.List;
import java.util.UUID;

/**
 * DESIGN.md §5 checks on the usage and reliability JSON of the HTTP API, shared by every test that reads the
 * golden answers over HTTP (the adapter's in-process test and the real server's IT).
 */
public final class GoldenJsonChecks {
  /** Reads one org's daily usage or reliability over the golden window: (org, api, extra query) → body. */
  @FunctionalInterface
  public interface DailyReader {
    JsonNode get(UUID org, String api, String extraQuery);
  }

  private static final String[] PERCENTILES = {"p50", "p95", "p99"};

  private final Expected expected;
  private final DailyReader reader;

  public GoldenJsonChecks(Expected expected, DailyReader reader) {
    this.expected = expected;
    this.reader = reader;
  }

  /** Totals and every daily (org, model) row equal PostgreSQL's answers exactly. */
  public void usageMatchesExactly() {
    for (UUID org : expected.orgs()) {
      JsonNode usage = reader.get(org, "usage", "");
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
      assertThat(totals(reader.get(org, "usage", "&groupBy=none").get("totals")))
          .isEqualTo(expected.totals().get(org));
    }
  }

  /** Sketch percentiles within the bracket rule, exact ones equal to PostgreSQL's percentile_cont. */
  public void percentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres() {
    double alpha = LatencySketch.RELATIVE_ACCURACY;
    for (UUID org : expected.orgs()) {
      JsonNode sketch = reader.get(org, "reliability", "&percentiles=50,95,99");
      JsonNode exact = reader.get(org, "reliability", "&percentiles=50,95,99&percentileMethod=exact");
      assertThat(sketch.get("relativeAccuracy").asDouble()).isEqualTo(alpha);
      List<DailyExpectation> rows = rows(org);
      for (int i = 0; i < rows.size(); i++) {
        DailyExpectation want = rows.get(i);
        JsonNode s = sketch.at("/series/" + i);
        assertThat(s.get("requests").asLong()).isEqualTo(want.totals().requests());
        assertThat(s.get("errors").asLong()).isEqualTo(want.totals().errors());
        for (int p = 0; p < PERCENTILES.length; p++) {
          String key = PERCENTILES[p];
          assertThat(s.at("/latencyMs/" + key).asDouble()).as("sketch %s of %s", key, want)
              .isBetween(want.brackets()[p][0] * (1 - alpha), want.brackets()[p][1] * (1 + alpha));
          assertThat(exact.at("/series/" + i + "/latencyMs/" + key).asDouble()).as("exact %s", key)
              .isCloseTo(want.percentiles()[p], offset(1e-6));
        }
      }
    }
  }

  private List<DailyExpectation> rows(UUID org) {
    return expected.daily().stream().filter(d -> d.orgId().equals(org)).toList();
  }

  private static UsageTotals totals(JsonNode n) {
    return new UsageTotals(n.get("requests").asLong(), n.get("errors").asLong(), n.get("inputTokens").asLong(),
        n.get("outputTokens").asLong(), n.get("costMicros").asLong(), n.get("unpricedRequests").asLong());
  }
}
