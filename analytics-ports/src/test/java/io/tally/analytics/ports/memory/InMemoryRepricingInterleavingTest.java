package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.PriceBookStoreContract;
import io.tally.analytics.ports.contract.RepricingInterleavingContract;
import net.jqwik.api.PropertyDefaults;

@PropertyDefaults(tries = 300)
class InMemoryRepricingInterleavingTest extends RepricingInterleavingContract {
  @Override
  protected PriceBookStoreContract.Fixture newFixture() {
    InMemoryUsageData data = new InMemoryUsageData();
    return new PriceBookStoreContract.Fixture(data.eventStore(), data.rollupStore(), data.priceBookStore());
  }
}
