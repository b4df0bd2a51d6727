package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.QueryReliability.PercentileMethod;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.GoldenDataset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DESIGN.md §5 over PostgreSQL: the golden file through the use cases and the PostgreSQL stores. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresGoldenIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private final GoldenDataset golden = GoldenDataset.load();
  private final Actor system = Actors.system();
  private PostgresUsageModule tally;
  private GoldenDataset.IngestCounts counts;

  @BeforeAll
  void ingestAndRollUp() {
    tally = new PostgresUsageModule(db.jdbi(), GoldenDataset.INGEST_CLOCK);
    counts = golden.ingestInBatches(tally.ingest, system, 500);
    tally.rollup.run(new RunRollupCommand(system, 500, 1_000));
  }

  @Test
  void countsMatch() {
    golden.verifyCounts(counts);
    assertThat(tally.deadLetters.count()).isEqualTo(golden.expected().invalid());
    assertThat(tally.rollups.dirtyBucketCount()).isZero();
  }

  @Test
  void usageMatchesExactly() {
    golden.verifyUsage(tally.usage, system);
  }

  @Test
  void sketchPercentilesSatisfyTheBracketRule() {
    golden.verifyReliability(tally.reliability, system, PercentileMethod.SKETCH);
  }

  @Test
  void exactPercentilesEqualPostgres() {
    golden.verifyReliability(tally.reliability, system, PercentileMethod.EXACT);
  }

  @Test
  void rollupsReconcileWithRawEvents() {
    TimeWindow window = new TimeWindow(golden.expected().start(), golden.expected().end());
    for (UUID org : golden.expected().orgs()) {
      for (Granularity granularity : Granularity.values()) {
        ReconciliationReport report = tally.reconcile.reconcile(new ReconcileCommand(system, org, granularity,
            window));
        assertThat(report.ok()).isTrue();
        assertThat(report.maxDrift()).isZero();
        assertThat(report.bucketsCompared()).isPositive();
      }
    }
  }
}
