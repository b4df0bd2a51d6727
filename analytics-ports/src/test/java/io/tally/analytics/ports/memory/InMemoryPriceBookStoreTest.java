package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.PriceBookStoreContract;

class InMemoryPriceBookStoreTest extends PriceBookStoreContract {
  @Override
  protected Fixture newFixture() {
    InMemoryUsageData data = new InMemoryUsageData();
    return new Fixture(data.eventStore(), data.rollupStore(), data.priceBookStore());
  }
}
