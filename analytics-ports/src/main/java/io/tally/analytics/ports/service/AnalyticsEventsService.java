package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.routing.MissingRouteException;
import io.tally.analytics.core.routing.Mode;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.core.routing.RouteDecision;
import io.tally.analytics.core.routing.RouteOrRejectPolicy;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.RoutedResult;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import io.tally.analytics.ports.out.IdGenerator;
import io.tally.analytics.ports.out.RouteRegistry;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link AnalyticsEvents}: authorize on the tenant, then route-or-reject for this deployment's env, then call the
 * routed backend. Authorization comes before routing so that an unauthorized caller cannot learn which tenants
 * have routes.
 */
public final class AnalyticsEventsService implements AnalyticsEvents {
  private final AccessGuard guard;
  private final RouteRegistry routes;
  private final AnalyticsStoreProvider stores;
  private final IdGenerator ids;
  private final TimeSource time;
  private final String env;
  private final RouteOrRejectPolicy policy = new RouteOrRejectPolicy();

  /**
   * @param guard authorization and audit
   * @param routes route registry
   * @param stores opens the routed backend
   * @param ids event ids when the client gives none
   * @param time default occurredAt
   * @param env this deployment's environment, the env of every route lookup
   */
  public AnalyticsEventsService(AccessGuard guard, RouteRegistry routes, AnalyticsStoreProvider stores,
      IdGenerator ids, TimeSource time, String env) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.time = Objects.requireNonNull(time, "time");
    this.env = Objects.requireNonNull(env, "env");
  }

  @Override
  public RoutedResult<String> ingest(Actor actor, Mode mode, NewEvent newEvent) {
    guard.require(actor, Permission.STORE_WRITE, ResourceScope.tenant(newEvent.tenantId()), "analytics.ingest");
    AnalyticsEvent event = newEvent.toEvent(newEvent.eventId().orElseGet(ids::newId), time.now());
    return routed(mode, event.tenantId(), event.eventId(), store -> {
      store.ingest(event);
      return event.eventId();
    });
  }

  @Override
  public RoutedResult<AnalyticsPage> query(Actor actor, Mode mode, AnalyticsQuery query) {
    String tenant = query.filter().tenantId();
    guard.require(actor, Permission.STORE_READ, ResourceScope.tenant(tenant), "analytics.query");
    return routed(mode, tenant, AnalyticsPage.empty(query.limit()), store -> store.query(query));
  }

  @Override
  public RoutedResult<AggregationResult> aggregate(Actor actor, Mode mode, AggregationSpec spec,
      EventFilter filter) {
    guard.require(actor, Permission.STORE_READ, ResourceScope.tenant(filter.tenantId()), "analytics.aggregate");
    return routed(mode, filter.tenantId(), AggregationResult.empty(spec.metric().name()),
        store -> store.aggregate(spec, filter));
  }

  @Override
  public RoutedResult<Boolean> delete(Actor actor, Mode mode, String tenantId, String eventId) {
    guard.require(actor, Permission.STORE_DELETE, ResourceScope.tenant(tenantId), "analytics.delete");
    return routed(mode, tenantId, false, store -> store.delete(tenantId, eventId));
  }

  @Override
  public RoutedResult<Long> deleteByUser(Actor actor, Mode mode, String tenantId, String userId) {
    guard.require(actor, Permission.STORE_DELETE, ResourceScope.tenant(tenantId), "analytics.delete_by_user");
    return routed(mode, tenantId, 0L, store -> store.deleteByUser(tenantId, userId));
  }

  private <T> RoutedResult<T> routed(Mode mode, String tenantId, T labAnswer, Function<AnalyticsStore, T> call) {
    Optional<Route> route = routes.lookup(Route.ANALYTICS_STORE, tenantId, env);
    RouteDecision decision = policy.decide(mode, tenantId, env, route);
    if (decision instanceof RouteDecision.UseRoute use) {
      return viaRoute(use.route(), labAnswer, call);
    }
    if (decision instanceof RouteDecision.LabNoStore lab) {
      return new RoutedResult<>(labAnswer, Optional.of(lab.warning()));
    }
    throw new MissingRouteException((RouteDecision.Reject) decision);
  }

  /**
   * A route with {@code "required": false} is best effort: when its backend fails (unavailable or erroring) the
   * call answers like lab mode, the empty answer with a warning, instead of 503. A required route's failure
   * propagates (503 {@code analytics_store.backend_error}, retryable). Other faults (invalid input, a query too
   * broad) propagate whatever the flag.
   */
  private <T> RoutedResult<T> viaRoute(Route route, T emptyAnswer, Function<AnalyticsStore, T> call) {
    try {
      return RoutedResult.stored(call.apply(stores.storeFor(route)));
    } catch (TallyException e) {
      if (route.required() || !isBackendFailure(e)) {
        throw e;
      }
      return new RoutedResult<>(emptyAnswer, Optional.of("The optional analytics_store route " + route.routeId()
          + " (backend " + route.backendType().wireName() + ") failed (" + e.errorCode()
          + "); nothing was stored or read. The route has required=false, so this is not an error."));
    }
  }

  private static boolean isBackendFailure(TallyException e) {
    return AnalyticsStoreProvider.BACKEND_ERROR.equals(e.errorCode())
        || AnalyticsStoreProvider.BACKEND_UNAVAILABLE.equals(e.errorCode());
  }
}
