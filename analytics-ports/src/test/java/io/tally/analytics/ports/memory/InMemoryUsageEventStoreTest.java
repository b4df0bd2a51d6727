package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.UsageEventStoreContract;
import io.tally.analytics.ports.out.UsageEventStore;

class InMemoryUsageEventStoreTest extends UsageEventStoreContract {
  @Override
  protected UsageEventStore newStore() {
    return InMemoryUsageEventStore.create();
  }
}
