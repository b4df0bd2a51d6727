package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.contract.IngestAndRollupContract;
import net.jqwik.api.PropertyDefaults;

@PropertyDefaults(tries = 150)
class InMemoryIngestAndRollupTest extends IngestAndRollupContract {
  @Override
  protected Tally.Stores newStores() {
    InMemoryUsageData data = new InMemoryUsageData();
    return new Tally.Stores(data.eventStore(), data.deadLetterStore(), data.rollupStore(), data.rollupQuarantine(),
        data.freshnessStore(), data.priceBookStore(), new InMemoryAuditLog());
  }
}
