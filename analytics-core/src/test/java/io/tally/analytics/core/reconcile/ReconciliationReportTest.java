package io.tally.analytics.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconciliationReportTest {
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final RollupKey K1 = new RollupKey(ORG, "m", Instant.parse("2026-10-01T00:00:00Z"));
  private static final RollupKey K2 = new RollupKey(ORG, "m", Instant.parse("2026-10-02T00:00:00Z"));

  private static UsageRollup rollup(long requests, long cost) {
    LatencySketch.Builder b = LatencySketch.builder();
    for (int i = 0; i < requests; i++) {
      b.add(10);
    }
    return new UsageRollup(requests, 0, requests * 10, requests, cost, 0, b.build());
  }

  @Test
  void equalSidesAreOk() {
    ReconciliationReport report = ReconciliationReport.compare(Map.of(K1, rollup(100, 500)),
        Map.of(K1, rollup(100, 500)), ReconciliationPolicy.DEFAULT);
    assertThat(report.ok()).isTrue();
    assertThat(report.drifts()).isEmpty();
    assertThat(report.maxDrift()).isZero();
    assertThat(report.bucketsCompared()).isEqualTo(1);
  }

  @Test
  void smallDriftIsReportedButTolerated() {
    ReconciliationReport report = ReconciliationReport.compare(Map.of(K1, rollup(1000, 1000)),
        Map.of(K1, rollup(1000, 1004)), ReconciliationPolicy.DEFAULT);
    assertThat(report.drifts()).hasSize(1);
    assertThat(report.maxDrift()).isCloseTo(4.0 / 1004, within(1e-12));
    assertThat(report.ok()).isTrue();
  }

  @Test
  void aMissingBucketExceedsTheThreshold() {
    ReconciliationReport report = ReconciliationReport.compare(Map.of(K1, rollup(10, 10)),
        Map.of(K1, rollup(10, 10), K2, rollup(3, 3)), ReconciliationPolicy.DEFAULT);
    assertThat(report.ok()).isFalse();
    assertThat(report.drifts()).extracting(Drift::key).containsExactly(K2);
    assertThat(report.maxDrift()).isEqualTo(1.0);
  }
}
