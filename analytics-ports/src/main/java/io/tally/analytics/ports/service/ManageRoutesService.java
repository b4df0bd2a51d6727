package io.tally.analytics.ports.service;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.ManageRoutes;
import io.tally.analytics.ports.out.IdGenerator;
import io.tally.analytics.ports.out.RouteRegistry;
import io.tally.analytics.ports.out.TimeSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link ManageRoutes} over a {@link RouteRegistry}, authorized with {@code routing:admin}. */
public final class ManageRoutesService implements ManageRoutes {
  private final AccessGuard guard;
  private final RouteRegistry registry;
  private final IdGenerator ids;
  private final TimeSource time;

  /**
   * @param guard authorization and audit
   * @param registry route storage
   * @param ids route ids
   * @param time creation timestamps
   */
  public ManageRoutesService(AccessGuard guard, RouteRegistry registry, IdGenerator ids, TimeSource time) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public Route create(Actor actor, CreateRoute c) {
    guard.require(actor, Permission.ROUTING_ADMIN, ResourceScope.tenant(c.tenantId()), "routing.create");
    return registry.save(new Route(ids.newId(), c.resourceKind(), c.tenantId(), c.env(), c.backendType(),
        c.config(), c.required(), time.now()));
  }

  @Override
  public List<Route> list(Actor actor, String tenantId) {
    guard.require(actor, Permission.ROUTING_ADMIN, ResourceScope.tenant(tenantId), "routing.list");
    return registry.list(Route.ANALYTICS_STORE, Optional.of(tenantId));
  }

  @Override
  public List<Route> listAll(Actor actor) {
    guard.require(actor, Permission.ROUTING_ADMIN, ResourceScope.platform(), "routing.list_all");
    return registry.list(Route.ANALYTICS_STORE, Optional.empty());
  }

  @Override
  public boolean delete(Actor actor, String tenantId, String routeId) {
    guard.require(actor, Permission.ROUTING_ADMIN, ResourceScope.tenant(tenantId), "routing.delete");
    // The id alone would let a tenant admin delete another tenant's route; the route must belong to the tenant.
    return registry.findById(routeId).filter(r -> r.tenantId().equals(tenantId)).map(r -> registry.delete(routeId))
        .orElse(false);
  }
}
