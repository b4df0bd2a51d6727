package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.DeadLetterStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDeadLetterStoreIT extends DeadLetterStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected Stores newStores() {
    UsageTables.empty(db);
    return new Stores(new PostgresUsageEventStore(db.jdbi(), UsageTables.CLOCK), new PostgresDeadLetterStore(db.jdbi()));
  }
}
