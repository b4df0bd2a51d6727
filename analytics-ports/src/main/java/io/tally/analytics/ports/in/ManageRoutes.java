package io.tally.analytics.ports.in;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The route registry API ({@code /routing/routes}). Every call needs {@code routing:admin} on the tenant's scope
 * ({@link #listAll} on the platform scope); returned routes still hold secrets, so adapters render
 * {@link Route#redactedConfig()}.
 */
public interface ManageRoutes {
  /**
   * A route registration, as in the DESIGN appendix.
   *
   * @param resourceKind {@code analytics_store}
   * @param tenantId tenant served
   * @param env deployment environment
   * @param backendType backend
   * @param config backend config (validated by {@link Route})
   * @param required informational flag
   */
  record CreateRoute(String resourceKind, String tenantId, String env, BackendType backendType,
      Map<String, String> config, boolean required) {
    /** Rejects nulls (full validation happens when the {@link Route} is built). */
    public CreateRoute {
      Objects.requireNonNull(resourceKind, "resourceKind");
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(env, "env");
      Objects.requireNonNull(backendType, "backendType");
      config = Map.copyOf(config);
    }
  }

  /** @return the stored route (it replaces any route for the same kind, tenant and env) */
  Route create(Actor actor, CreateRoute command);

  /** @return the tenant's routes */
  List<Route> list(Actor actor, String tenantId);

  /** @return every tenant's routes (platform operators only) */
  List<Route> listAll(Actor actor);

  /** @return true when the tenant had a route with this id and it was deleted */
  boolean delete(Actor actor, String tenantId, String routeId);
}
