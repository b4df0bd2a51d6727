package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.UsageEventStoreContract;
import io.tally.analytics.ports.out.UsageEventStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresUsageEventStoreIT extends UsageEventStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected UsageEventStore newStore() {
    UsageTables.empty(db);
    return new PostgresUsageEventStore(db.jdbi(), UsageTables.CLOCK);
  }
}
