package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.RouteRegistryContract;
import io.tally.analytics.ports.out.RouteRegistry;

class InMemoryRouteRegistryTest extends RouteRegistryContract {
  @Override
  protected RouteRegistry newRegistry() {
    return new InMemoryRouteRegistry();
  }
}
