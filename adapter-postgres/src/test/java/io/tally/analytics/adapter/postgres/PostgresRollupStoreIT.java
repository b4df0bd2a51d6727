package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.RollupStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRollupStoreIT extends RollupStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected Fixture newFixture() {
    UsageTables.empty(db);
    return new Fixture(new PostgresUsageEventStore(db.jdbi(), UsageTables.CLOCK), new PostgresRollupStore(db.jdbi()),
        new PostgresFreshnessStore(db.jdbi()), new PostgresRollupQuarantine(db.jdbi()));
  }
}
