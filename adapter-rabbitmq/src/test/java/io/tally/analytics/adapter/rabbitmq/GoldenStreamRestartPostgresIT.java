package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.adapter.postgres.TallyPostgres;
import io.tally.analytics.adapter.postgres.TestDatabases;
import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.testdata.GoldenDataset;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link GoldenStreamRestartIT} end to end: stream, consumer, ingest use case, PostgreSQL, rollup, reports. */
class GoldenStreamRestartPostgresIT extends GoldenStreamRestartIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  Tally.Stores stores() {
    return TallyPostgres.stores(db.dataSource(), () -> GoldenDataset.INGEST_CLOCK);
  }
}
