package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryReliability.PercentileMethod;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.Reconcile;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.GoldenDataset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DESIGN.md §5 for one set of stores: the golden file through the use cases, in batches of 500, then one rollup
 * pass; counts, usage, both percentile methods and reconciliation must match what PostgreSQL computed.
 * Subclasses build the use cases over their stores ({@link #subject()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GoldenUseCasesContract {
  /** The use cases under test and the two stores the checks read directly. */
  public record Subject(IngestUsageBatch ingest, RunRollup rollup, QueryUsage usage,
      QueryReliability reliability, Reconcile reconcile, DeadLetterStore deadLetters, RollupStore rollups) {}

  private final GoldenDataset golden = GoldenDataset.load();
  private final Actor system = Actors.system();
  private Subject tally;
  private GoldenDataset.IngestCounts counts;

  /** @return use cases over fresh, empty stores whose clock reads {@link GoldenDataset#INGEST_CLOCK} */
  protected abstract Subject subject();

  @BeforeAll
  void ingestAndRollUp() {
    tally = subject();
    counts = golden.ingestInBatches(tally.ingest(), system, 500);
    tally.rollup().run(new RunRollupCommand(system, 500, 1_000));
  }

  @Test
  void countsMatch() {
    golden.verifyCounts(counts);
    assertThat(tally.deadLetters().count()).isEqualTo(golden.expected().invalid());
    assertThat(tally.rollups().dirtyBucketCount()).isZero();
  }

  @Test
  void usageMatchesExactly() {
    golden.verifyUsage(tally.usage(), system);
  }

  @Test
  void sketchPercentilesSatisfyTheBracketRule() {
    golden.verifyReliability(tally.reliability(), system, PercentileMethod.SKETCH);
  }

  @Test
  void exactPercentilesEqualPostgres() {
    golden.verifyReliability(tally.reliability(), system, PercentileMethod.EXACT);
  }

  @Test
  void rollupsReconcileWithRawEvents() {
    TimeWindow window = new TimeWindow(golden.expected().start(), golden.expected().end());
    for (UUID org : golden.expected().orgs()) {
      for (Granularity granularity : Granularity.values()) {
        ReconciliationReport report = tally.reconcile().reconcile(new ReconcileCommand(system, org, granularity,
            window));
        assertThat(report.ok()).isTrue();
        assertThat(report.maxDrift()).isZero();
        assertThat(report.bucketsCompared()).isPositive();
      }
    }
  }
}
