package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.EmbeddingExampleTest;
import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Example 2 of docs/embedding.md, run as written against a fresh database of the local PostgreSQL. */
class TallyPostgresExampleIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Test
  void thePostgresExampleEmitsRollsUpAndReports() {
    DataSource dataSource = db.dataSource();
    // --- begin postgres ---
    TimeSource clock = () -> Instant.parse("2026-11-03T12:00:00Z");  // your service's clock, e.g. Instant::now
    UUID org = UUID.fromString("00000000-0000-0000-0000-000000000001");
    Tally tally = TallyPostgres.on(dataSource, clock);                // migrates the schema "analytics" first
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
    // --- end postgres ---
    EmbeddingExampleTest.assertReports(usage, reliability);
    assertThat(tally.auditLog().verify()).as("no broken link in the audit chain").isEmpty();
    assertThat(tally.auditLog().head().sequence()).as("every decision audited").isGreaterThanOrEqualTo(4);
  }

  @Test
  void docsEmbeddingShowsTheExampleVerbatim() {
    DocSnippets.assertGuideShows("docs/embedding.md", TallyPostgresExampleIT.class, "postgres");
  }
}
