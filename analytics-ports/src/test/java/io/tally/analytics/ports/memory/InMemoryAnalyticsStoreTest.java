package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.AnalyticsStoreContract;
import io.tally.analytics.ports.out.AnalyticsStore;

class InMemoryAnalyticsStoreTest extends AnalyticsStoreContract {
  @Override
  protected AnalyticsStore newStore() {
    return new InMemoryAnalyticsStore();
  }
}
