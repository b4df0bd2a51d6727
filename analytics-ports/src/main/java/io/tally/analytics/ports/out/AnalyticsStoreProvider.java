package io.tally.analytics.ports.out;

import io.tally.analytics.core.routing.Route;

/**
 * Opens the {@link AnalyticsStore} a route points at. The app wires one provider knowing every configured backend;
 * a route naming a backend this deployment has no adapter or credentials for is an infrastructure fault,
 * {@code TallyException("analytics_store.backend_unavailable")}, never a silent fallback.
 */
public interface AnalyticsStoreProvider {
  /** Error code when the route's backend is not available in this deployment. */
  String BACKEND_UNAVAILABLE = "analytics_store.backend_unavailable";
  /**
   * Error code of a backend that failed while serving a call (unreachable, throttled, refused): retryable.
   * Stores translate their client's failures to it, never letting a vendor exception or a secret through.
   */
  String BACKEND_ERROR = "analytics_store.backend_error";

  /**
   * @param route the route chosen by route-or-reject
   * @return the store for the route's backend and config (implementations may cache per route id)
   */
  AnalyticsStore storeFor(Route route);
}
