package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.tally.analytics.adapter.http.RouteJson.Registration;
import io.tally.analytics.adapter.http.RouteJson.RouteList;
import io.tally.analytics.adapter.http.RouteJson.RouteView;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.ManageRoutes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The route registry routes ({@code /routing/routes}). The tenant comes from {@code X-Tenant-ID} (or, on
 * create, the body's {@code tenant_id}); a list without {@code X-Tenant-ID} is a platform-wide list, which only a
 * platform operator ({@code X-Actor-Orgs: *}) passes. Secrets in {@code config} are never echoed.
 */
final class RoutingRoutes {
  /** Collection path. */
  public static final String ROUTES = "/routing/routes";
  /** One route. */
  public static final String ROUTE = "/routing/routes/{route_id}";
  /** Error code of a delete whose route does not exist for the tenant (404). */
  public static final String NOT_FOUND = "routing.not_found";

  // core.routing.Route shares its simple name with this package's Route (a row of the route table).
  private static final String ANALYTICS_STORE = io.tally.analytics.core.routing.Route.ANALYTICS_STORE;
  private static final String INVALID_RESOURCE_KIND = io.tally.analytics.core.routing.Route.INVALID_RESOURCE_KIND;

  private final ManageRoutes manage;
  private final JsonBodies bodies;

  /**
   * @param manage the route registry use cases
   * @param bodies strict, size-limited body reader
   */
  public RoutingRoutes(ManageRoutes manage, JsonBodies bodies) {
    this.manage = Objects.requireNonNull(manage, "manage");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
  }

  /** @return the three routing routes */
  public List<Route> routes() {
    return new RouteTable()
        .actor(POST, ROUTES, this::create)
        .actor(GET, ROUTES, this::list)
        .actor(DELETE, ROUTE, this::delete)
        .routes();
  }

  private void create(Context ctx, Actor actor) {
    Optional<String> tenant = StoreHeaders.optionalTenant(ctx);
    Registration body = bodies.read(ctx, Registration.class);
    ctx.status(201).json(RouteView.from(manage.create(actor, body.toCommand(tenant))));
  }

  private void list(Context ctx, Actor actor) {
    Optional<String> kind = QueryText.optional(ctx, "resource_kind");
    if (kind.isPresent() && !kind.get().equals(ANALYTICS_STORE)) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_RESOURCE_KIND,
          "resource_kind must be " + ANALYTICS_STORE + ".");
    }
    Optional<String> tenant = StoreHeaders.optionalTenant(ctx);
    ctx.json(RouteList.from(tenant.isPresent() ? manage.list(actor, tenant.get()) : manage.listAll(actor)));
  }

  private void delete(Context ctx, Actor actor) {
    String tenant = StoreHeaders.tenant(ctx);
    String routeId = PathIds.text(ctx, "route_id");
    if (!manage.delete(actor, tenant, routeId)) {
      throw new TallyException(TallyException.Kind.NOT_FOUND, NOT_FOUND,
          "No route " + routeId + " for tenant " + tenant);
    }
    ctx.status(204);
  }
}
