package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.AnalyticsStoreContract;
import io.tally.analytics.ports.out.AnalyticsStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresAnalyticsStoreIT extends AnalyticsStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected AnalyticsStore newStore() {
    PolicyTables.empty(db);
    return new PostgresAnalyticsStore(db.jdbi());
  }
}
