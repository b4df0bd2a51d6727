package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.FreshnessCacheContract;
import io.tally.analytics.ports.out.FreshnessCache;

class InMemoryFreshnessCacheTest extends FreshnessCacheContract {
  @Override
  protected FreshnessCache newCache() {
    return new InMemoryFreshnessCache();
  }
}
