package io.tally.analytics.core.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * Route-or-reject (DESIGN §1.2): with a route, use it; without one, saas, enterprise and system answer 503
 * {@code analytics_store.missing_route}, and lab warns and stores nothing. There is no in-memory fallback in
 * any mode, because silently keeping a tenant's events in a process that can restart loses them.
 */
public final class RouteOrRejectPolicy {
  /** Error code of the rejection (the HTTP adapter answers it with 503). */
  public static final String MISSING_ROUTE = "analytics_store.missing_route";

  /**
   * @param mode the request's mode
   * @param tenantId the tenant whose store is needed
   * @param env the deployment environment
   * @param route the registry lookup for ({@code analytics_store}, tenant, env)
   * @return the decision
   * @throws IllegalArgumentException when the route given does not serve (analytics_store, tenant, env)
   */
  public RouteDecision decide(Mode mode, String tenantId, String env, Optional<Route> route) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(env, "env");
    if (route.isPresent()) {
      Route r = route.get();
      if (!r.serves(Route.ANALYTICS_STORE, tenantId, env)) {
        throw new IllegalArgumentException("route " + r.routeId() + " does not serve tenant=" + tenantId
            + ", env=" + env);
      }
      return new RouteDecision.UseRoute(r);
    }
    if (mode == Mode.LAB) {
      return new RouteDecision.LabNoStore("No analytics_store route configured for tenant=" + tenantId + ", env="
          + env + ", mode=lab; the event was not stored. Configure via /routing/routes to keep lab events.");
    }
    return new RouteDecision.Reject(MISSING_ROUTE, missingRouteMessage(mode, tenantId, env));
  }

  /** @return the appendix's 503 message, word for word */
  static String missingRouteMessage(Mode mode, String tenantId, String env) {
    return "No analytics_store route configured for tenant=" + tenantId + ", env=" + env + ", mode="
        + mode.wireName() + ". Configure via /routing/routes with backend_type (firestore|dynamodb|cosmos|postgres).";
  }
}
