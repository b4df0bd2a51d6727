package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.GoldenUseCasesContract;
import io.tally.analytics.ports.testdata.GoldenDataset;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DESIGN.md §5 over PostgreSQL: the golden file through the use cases and the PostgreSQL stores. */
class PostgresGoldenIT extends GoldenUseCasesContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected Subject subject() {
    PostgresUsageModule m = new PostgresUsageModule(db.jdbi(), GoldenDataset.INGEST_CLOCK);
    return new Subject(m.ingest, m.rollup, m.usage, m.reliability, m.reconcile, m.deadLetters, m.rollups);
  }
}
