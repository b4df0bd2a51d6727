package io.tally.analytics.ports.memory;

import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.RouteRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link RouteRegistry} in a map. */
public final class InMemoryRouteRegistry implements RouteRegistry {
  private final Map<String, Route> byId = new LinkedHashMap<>();

  @Override
  public synchronized Route save(Route route) {
    byId.values().removeIf(r -> r.serves(route.resourceKind(), route.tenantId(), route.env()));
    byId.put(route.routeId(), route);
    return route;
  }

  @Override
  public synchronized Optional<Route> findById(String routeId) {
    return Optional.ofNullable(byId.get(routeId));
  }

  @Override
  public synchronized List<Route> list(String resourceKind, Optional<String> tenantId) {
    return byId.values().stream()
        .filter(r -> r.resourceKind().equals(resourceKind))
        .filter(r -> tenantId.map(r.tenantId()::equals).orElse(true))
        .sorted(Comparator.comparing(Route::tenantId).thenComparing(Route::env).thenComparing(Route::routeId))
        .toList();
  }

  @Override
  public synchronized boolean delete(String routeId) {
    return byId.remove(routeId) != null;
  }

  @Override
  public synchronized Optional<Route> lookup(String resourceKind, String tenantId, String env) {
    return byId.values().stream().filter(r -> r.serves(resourceKind, tenantId, env)).findFirst();
  }
}
