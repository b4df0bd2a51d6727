package io.tally.analytics.adapter.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads as the API's route table, one line per route:
 *
 * <pre>{@code
 * new RouteTable()
 *     .open(GET, "/analytics/v1/status/healthz", status::healthz)
 *     .actor(POST, "/analytics/v1/events", events::ingest)
 *     .actor(GET, "/analytics/v1/orgs/{orgId}/usage", usage::query)
 *     .routes();
 * }</pre>
 *
 * Paths use Javalin's {@code {param}} syntax, which is also OpenAPI's, so the coverage test can compare them
 * with {@code openapi.json} textually.
 */
final class RouteTable {
  private final List<Route> routes = new ArrayList<>();

  /** @return this table with an unauthenticated route added */
  public RouteTable open(HandlerType method, String path, Handler handler) {
    routes.add(Route.open(method, path, handler));
    return this;
  }

  /** @return this table with an authenticated, rate-limited route added */
  public RouteTable actor(HandlerType method, String path, ActorHandler handler) {
    routes.add(Route.forActor(method, path, handler));
    return this;
  }

  /** @return this table with other routes appended (for example {@link StatusRoutes#routes()}) */
  public RouteTable addAll(List<Route> more) {
    routes.addAll(more);
    return this;
  }

  /** @return the routes in table order */
  public List<Route> routes() {
    return List.copyOf(routes);
  }
}
