package io.tally.analytics.ports.out;

import io.tally.analytics.core.routing.Route;
import java.util.List;
import java.util.Optional;

/**
 * Storage of the route registry. One route per (resourceKind, tenantId, env): saving a route for a key that
 * already has one replaces it, so a lookup never has to choose between two.
 */
public interface RouteRegistry {
  /**
   * @param route the route to store
   * @return the stored route
   */
  Route save(Route route);

  /** @return the route with this id, if any */
  Optional<Route> findById(String routeId);

  /**
   * @param resourceKind kind to list ({@code analytics_store})
   * @param tenantId restrict to one tenant, or every tenant when empty
   * @return matching routes ordered by tenantId, env, routeId
   */
  List<Route> list(String resourceKind, Optional<String> tenantId);

  /** @return true when a route with this id existed and was removed */
  boolean delete(String routeId);

  /** @return the route serving exactly this (resourceKind, tenantId, env), if any */
  Optional<Route> lookup(String resourceKind, String tenantId, String env);
}
