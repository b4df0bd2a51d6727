package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.RollupStoreContract;

class InMemoryRollupStoreTest extends RollupStoreContract {
  @Override
  protected Fixture newFixture() {
    InMemoryUsageData data = new InMemoryUsageData();
    return new Fixture(data.eventStore(), data.rollupStore(), data.freshnessStore(), data.rollupQuarantine());
  }
}
