package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.UsageEventStoreContract;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.UsageEventStore;

class InMemoryUsageEventStoreTest extends UsageEventStoreContract {
  private InMemoryUsageData data;

  @Override
  protected UsageEventStore newStore() {
    data = new InMemoryUsageData();
    return data.eventStore();
  }

  @Override
  protected DeadLetterStore deadLetters() {
    return data.deadLetterStore();
  }

  @Override
  protected void refuseDeadLetterPayload(String payload) {
    data.refuseDeadLetterPayload(payload);
  }
}
