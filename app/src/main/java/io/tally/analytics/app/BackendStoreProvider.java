package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import java.util.EnumMap;
import java.util.Map;

/**
 * Opens the analytics store a route names, from the backends this deployment has adapters for. A route to any
 * other backend is a fault ({@value AnalyticsStoreProvider#BACKEND_UNAVAILABLE}), never a fallback.
 */
final class BackendStoreProvider implements AnalyticsStoreProvider {
  private final Map<BackendType, AnalyticsStore> stores;

  BackendStoreProvider(Map<BackendType, AnalyticsStore> stores) {
    this.stores = new EnumMap<>(stores);
  }

  @Override
  public AnalyticsStore storeFor(Route route) {
    AnalyticsStore store = stores.get(route.backendType());
    if (store == null) {
      throw new TallyException(BACKEND_UNAVAILABLE, "backend " + route.backendType().wireName() + " of route " + route.routeId() + " is not available in this deployment");
    }
    return store;
  }
}
