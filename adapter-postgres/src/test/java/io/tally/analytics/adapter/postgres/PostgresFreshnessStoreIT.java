package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.FreshnessStoreContract;
import io.tally.analytics.ports.out.FreshnessStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresFreshnessStoreIT extends FreshnessStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected FreshnessStore newStore() {
    UsageTables.empty(db);
    return new PostgresFreshnessStore(db.jdbi());
  }
}
