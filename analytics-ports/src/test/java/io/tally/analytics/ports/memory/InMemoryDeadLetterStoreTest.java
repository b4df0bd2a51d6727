package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.DeadLetterStoreContract;
import io.tally.analytics.ports.out.DeadLetterStore;

class InMemoryDeadLetterStoreTest extends DeadLetterStoreContract {
  @Override
  protected DeadLetterStore newStore() {
    return new InMemoryDeadLetterStore();
  }
}
