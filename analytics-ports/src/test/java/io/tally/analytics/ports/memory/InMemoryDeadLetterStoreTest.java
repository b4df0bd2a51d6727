package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.DeadLetterStoreContract;

class InMemoryDeadLetterStoreTest extends DeadLetterStoreContract {
  @Override
  protected Stores newStores() {
    InMemoryUsageData data = new InMemoryUsageData();
    return new Stores(data.eventStore(), data.deadLetterStore());
  }
}
