package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.RollupQuarantineContract;
import io.tally.analytics.ports.out.RollupQuarantine;

class InMemoryRollupQuarantineTest extends RollupQuarantineContract {
  @Override
  protected RollupQuarantine newQuarantine() {
    return new InMemoryUsageData().rollupQuarantine();
  }
}
