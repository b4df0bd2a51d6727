package io.tally.analytics.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tally.analytics.core.freshness.FreshnessStatus;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityPoint;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityQuery;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityReport;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.testing.DocSnippets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Example 1 of docs/embedding.md, run as written: the guide shows the region below verbatim. */
public class EmbeddingExampleTest {

  @Test
  void theInMemoryExampleEmitsRollsUpAndReports() {
    // --- begin in-memory ---
    TimeSource clock = () -> Instant.parse("2026-11-03T12:00:00Z");  // your service's clock, e.g. Instant::now
    UUID org = UUID.fromString("00000000-0000-0000-0000-000000000001");
    Tally tally = Tally.inMemory(clock);
    Actor gateway = Actor.service("gateway", org);                    // writes and reads org's usage, no other org's
    tally.ingest().ingest(IngestCommand.of(gateway, List.of(
        UsageEvent.builder("req-1", org, Instant.parse("2026-11-03T10:15:30Z"), "llama-3-70b")
            .tokens(812, 230).latencyMs(912).costMicros(1_840).build(),
        UsageEvent.builder("req-2", org, Instant.parse("2026-11-03T10:16:02Z"), "llama-3-70b")
            .tokens(100, 20).latencyMs(4_100).error("upstream_timeout").build())));
    tally.rollUp();                                                   // the server's worker does this every second
    TimeWindow day = new TimeWindow(Instant.parse("2026-11-03T00:00:00Z"), Instant.parse("2026-11-04T00:00:00Z"));
    UsageReport usage = tally.usage().query(UsageQuery.of(gateway, org, Granularity.DAILY, day));
    ReliabilityReport reliability = tally.reliability().query(ReliabilityQuery.of(gateway, org, Granularity.HOURLY, day));
    // --- end in-memory ---
    assertReports(usage, reliability);
  }

  /** What both examples must answer (the PostgreSQL example's test calls this too). */
  public static void assertReports(UsageReport usage, ReliabilityReport reliability) {
    assertThat(usage.totals().requests()).isEqualTo(2);
    assertThat(usage.totals().errors()).isEqualTo(1);
    assertThat(usage.totals().inputTokens()).isEqualTo(912);
    assertThat(usage.totals().costMicros()).as("req-2 has no cost and the book no price").isEqualTo(1_840);
    assertThat(usage.totals().unpricedRequests()).isEqualTo(1);
    assertThat(usage.freshness().status()).isEqualTo(FreshnessStatus.FRESH);
    assertThat(reliability.series()).hasSize(1);
    ReliabilityPoint hour = reliability.series().get(0);
    assertThat(hour.bucketStart()).isEqualTo(Instant.parse("2026-11-03T10:00:00Z"));
    assertThat(hour.errorRate()).isEqualTo(0.5);
    assertThat(hour.latency()).extracting(p -> p.percentile()).containsExactly(50.0, 95.0, 99.0);
    // Two samples: every percentile up to p99 has rank 1 of 2 (the bracket rule), so the lower one, within 1%.
    assertThat(hour.latency().get(0).latencyMs()).isCloseTo(912, within(9.2));
  }

  @Test
  void docsEmbeddingShowsTheExampleVerbatim() {
    DocSnippets.assertGuideShows("docs/embedding.md", EmbeddingExampleTest.class, "in-memory");
  }
}
