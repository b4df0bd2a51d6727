package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import java.time.Instant;
import java.util.Map;

/** Routes for tests. */
public final class RouteTestData {
  private RouteTestData() {}

  /** @return a postgres analytics_store route */
  public static Route aPostgresRoute(String routeId, String tenantId, String env) {
    return new Route(routeId, Route.ANALYTICS_STORE, tenantId, env, BackendType.POSTGRES, Map.of(), true,
        Instant.parse("2025-01-01T00:00:00Z"));
  }

  /** @return a cosmos route whose config holds the secret {@code key} */
  public static Route aCosmosRoute(String routeId, String tenantId, String env) {
    return new Route(routeId, Route.ANALYTICS_STORE, tenantId, env, BackendType.COSMOS,
        Map.of("endpoint", "https://localhost:8081", "key", "c2VjcmV0LWtleQ==", "database_id", "analytics",
            "container_id", "events"), true, Instant.parse("2025-01-01T00:00:00Z"));
  }
}
