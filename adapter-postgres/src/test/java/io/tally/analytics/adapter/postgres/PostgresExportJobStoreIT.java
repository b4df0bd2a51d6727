package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.ExportJobStoreContract;
import io.tally.analytics.ports.out.ExportJobStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExportJobStoreIT extends ExportJobStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected ExportJobStore newStore() {
    PolicyTables.empty(db);
    return new PostgresExportJobStore(db.jdbi());
  }
}
