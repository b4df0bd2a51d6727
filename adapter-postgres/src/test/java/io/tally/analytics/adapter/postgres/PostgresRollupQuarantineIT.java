package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.RollupQuarantineContract;
import io.tally.analytics.ports.out.RollupQuarantine;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRollupQuarantineIT extends RollupQuarantineContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected RollupQuarantine newQuarantine() {
    UsageTables.empty(db);
    return new PostgresRollupQuarantine(db.jdbi());
  }
}
