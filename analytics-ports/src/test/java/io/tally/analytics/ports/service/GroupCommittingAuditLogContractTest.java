package io.tally.analytics.ports.service;

import io.tally.analytics.ports.contract.AuditLogContract;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.out.AuditLog;

class GroupCommittingAuditLogContractTest extends AuditLogContract {
  @Override
  protected AuditLog newLog() {
    return new GroupCommittingAuditLog(new InMemoryAuditLog(), 7);
  }
}
