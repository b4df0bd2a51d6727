package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import java.util.EnumMap;
import java.util.Map;

/** Test {@link AnalyticsStoreProvider}: one store per configured backend type, the rest unavailable. */
public final class InMemoryAnalyticsStoreProvider implements AnalyticsStoreProvider {
  private final Map<BackendType, AnalyticsStore> stores = new EnumMap<>(BackendType.class);

  /** @return this, with {@code store} serving routes of {@code type} */
  public InMemoryAnalyticsStoreProvider with(BackendType type, AnalyticsStore store) {
    stores.put(type, store);
    return this;
  }

  @Override
  public AnalyticsStore storeFor(Route route) {
    AnalyticsStore store = stores.get(route.backendType());
    if (store == null) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, BACKEND_UNAVAILABLE,
          "Backend " + route.backendType().wireName()
          + " is not configured in this deployment (route " + route.routeId() + ").");
    }
    return store;
  }
}
