package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.FreshnessStoreContract;
import io.tally.analytics.ports.out.FreshnessStore;

class InMemoryFreshnessStoreTest extends FreshnessStoreContract {
  @Override
  protected FreshnessStore newStore() {
    return InMemoryFreshnessStore.create();
  }
}
