package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.AuditLogContract;
import io.tally.analytics.ports.out.AuditLog;

class InMemoryAuditLogTest extends AuditLogContract {
  @Override
  protected AuditLog newLog() {
    return new InMemoryAuditLog();
  }
}
