package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.DeadLetterStoreContract;
import io.tally.analytics.ports.out.DeadLetterStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDeadLetterStoreIT extends DeadLetterStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected DeadLetterStore newStore() {
    UsageTables.empty(db);
    return new PostgresDeadLetterStore(db.jdbi());
  }
}
