/**
 * The route registry's domain and route-or-reject: where a tenant's analytics store lives
 * ({@link io.tally.analytics.core.routing.Route}) and what happens when nothing is configured
 * ({@link io.tally.analytics.core.routing.RouteOrRejectPolicy}).
 */
package io.tally.analytics.core.routing;
