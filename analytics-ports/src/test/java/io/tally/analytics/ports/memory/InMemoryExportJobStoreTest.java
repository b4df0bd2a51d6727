package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.ExportJobStoreContract;
import io.tally.analytics.ports.out.ExportJobStore;

class InMemoryExportJobStoreTest extends ExportJobStoreContract {
  @Override
  protected ExportJobStore newStore() {
    return new InMemoryExportJobStore();
  }
}
