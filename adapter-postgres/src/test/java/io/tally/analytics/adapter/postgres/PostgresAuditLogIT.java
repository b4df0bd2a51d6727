package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.AuditLogContract;
import io.tally.analytics.ports.out.AuditLog;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresAuditLogIT extends AuditLogContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected AuditLog newLog() {
    PolicyTables.empty(db);
    return new PostgresAuditLog(db.jdbi());
  }
}
