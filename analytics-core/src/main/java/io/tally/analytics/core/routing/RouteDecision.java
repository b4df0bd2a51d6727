package io.tally.analytics.core.routing;

import java.util.Objects;

/** What {@link RouteOrRejectPolicy} decided for one request: a value the use case acts on. */
public sealed interface RouteDecision
    permits RouteDecision.UseRoute, RouteDecision.Reject, RouteDecision.LabNoStore {

  /**
   * A route exists: use its backend.
   *
   * @param route the matching route
   */
  record UseRoute(Route route) implements RouteDecision {
    /** Rejects null. */
    public UseRoute {
      Objects.requireNonNull(route, "route");
    }
  }

  /**
   * No route and the mode does not tolerate that.
   *
   * @param errorCode {@code analytics_store.missing_route}
   * @param message the exact message of the DESIGN appendix
   */
  record Reject(String errorCode, String message) implements RouteDecision {
    /** Rejects nulls. */
    public Reject {
      Objects.requireNonNull(errorCode, "errorCode");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Lab mode without a route: warn and store nothing (never an in-memory fallback).
   *
   * @param warning message to return to the caller
   */
  record LabNoStore(String warning) implements RouteDecision {
    /** Rejects null. */
    public LabNoStore {
      Objects.requireNonNull(warning, "warning");
    }
  }
}
