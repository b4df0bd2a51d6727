package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import java.util.EnumMap;
import java.util.Map;

/**
 * Opens the analytics store a route names: the shared stores of this deployment (postgres) by backend, the routed
 * cloud stores (one client per route) through {@code cloud}. A route to a backend neither serves is a fault
 * ({@value AnalyticsStoreProvider#BACKEND_UNAVAILABLE}), never a fallback.
 */
final class BackendStoreProvider implements AnalyticsStoreProvider {
  private final Map<BackendType, AnalyticsStore> stores;
  private final Map<BackendType, AnalyticsStoreProvider> perRoute;

  BackendStoreProvider(Map<BackendType, AnalyticsStore> stores) {
    this(stores, Map.of());
  }

  /**
   * @param stores one store per backend, whatever the route
   * @param perRoute providers opening a store per route, by backend
   */
  BackendStoreProvider(Map<BackendType, AnalyticsStore> stores, Map<BackendType, AnalyticsStoreProvider> perRoute) {
    this.stores = stores.isEmpty() ? new EnumMap<>(BackendType.class) : new EnumMap<>(stores);
    this.perRoute = perRoute.isEmpty() ? new EnumMap<>(BackendType.class) : new EnumMap<>(perRoute);
  }

  @Override
  public AnalyticsStore storeFor(Route route) {
    AnalyticsStoreProvider provider = perRoute.get(route.backendType());
    if (provider != null) {
      return provider.storeFor(route);
    }
    AnalyticsStore store = stores.get(route.backendType());
    if (store == null) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, BACKEND_UNAVAILABLE,
          "backend " + route.backendType().wireName() + " of route " + route.routeId() + " is not available in this deployment");
    }
    return store;
  }
}
