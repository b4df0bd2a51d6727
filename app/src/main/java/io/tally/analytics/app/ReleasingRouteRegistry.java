package io.tally.analytics.app;

import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.RouteRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The route registry, telling the store provider when a route is deleted or replaced so that the route's client
 * (connections, threads) is closed at once rather than left open until the process ends.
 */
final class ReleasingRouteRegistry implements RouteRegistry {
  private final RouteRegistry routes;
  private final Consumer<String> release;

  /**
   * @param routes the stored registry
   * @param release closes the client of a route id
   */
  ReleasingRouteRegistry(RouteRegistry routes, Consumer<String> release) {
    this.routes = routes;
    this.release = release;
  }

  @Override
  public Route save(Route route) {
    Optional<Route> replaced = routes.lookup(route.resourceKind(), route.tenantId(), route.env());
    Route saved = routes.save(route);
    replaced.ifPresent(r -> release.accept(r.routeId()));
    release.accept(route.routeId());
    return saved;
  }

  @Override
  public Optional<Route> findById(String routeId) {
    return routes.findById(routeId);
  }

  @Override
  public List<Route> list(String resourceKind, Optional<String> tenantId) {
    return routes.list(resourceKind, tenantId);
  }

  @Override
  public boolean delete(String routeId) {
    boolean deleted = routes.delete(routeId);
    release.accept(routeId);
    return deleted;
  }

  @Override
  public Optional<Route> lookup(String resourceKind, String tenantId, String env) {
    return routes.lookup(resourceKind, tenantId, env);
  }
}
