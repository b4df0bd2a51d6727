package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.ObjectStoreContract;
import io.tally.analytics.ports.out.ObjectStore;

class InMemoryObjectStoreTest extends ObjectStoreContract {
  @Override
  protected ObjectStore newStore() {
    return new InMemoryObjectStore(io.tally.analytics.ports.testdata.TestClock.standard());
  }
}
