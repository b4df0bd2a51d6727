/**
 * The driving HTTP adapter: a Javalin server whose routes are one table of path to handler, one error shape
 * ({@link io.tally.analytics.adapter.http.ErrorResponses}), request ids, authentication (trusted headers or
 * JWT), per-actor rate limits, health, readiness, Prometheus metrics and the OpenAPI document.
 */
package io.tally.analytics.adapter.http;
