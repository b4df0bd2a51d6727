package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.PriceBookStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresPriceBookStoreIT extends PriceBookStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected Fixture newFixture() {
    return new Fixture(new PostgresUsageEventStore(db.jdbi(), UsageTables.CLOCK), new PostgresRollupStore(db.jdbi()),
        new PostgresPriceBookStore(db.jdbi()));
  }
}
