package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.contract.IngestAndRollupContract;
import net.jqwik.api.PropertyDefaults;

@PropertyDefaults(tries = 150)
class InMemoryIngestAndRollupTest extends IngestAndRollupContract {
  @Override
  protected Tally.Stores newStores() {
    return Tally.Stores.inMemory();
  }
}
