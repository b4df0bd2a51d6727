package io.tally.analytics.adapter.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Prometheus registry the whole process shares, and the two HTTP meters of DESIGN.md §1.4. Micrometer
 * appends {@code _total} to counters and {@code _seconds} to timers, so the meters are named
 * {@code http.requests} and {@code http.request.duration} to be exposed as {@code http_requests_total} and
 * {@code http_request_duration_seconds}.
 */
public final class HttpMetrics {
  private final PrometheusMeterRegistry registry;
  private final AtomicLong missingRoutes = new AtomicLong();

  /** @param registry shared registry; other adapters register their meters on it too */
  public HttpMetrics(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    // A gauge, not a counter, so that Prometheus sees exactly the DESIGN.md name (counters get "_total").
    Gauge.builder("routing.analytics.store.missing.route", missingRoutes, AtomicLong::get)
        .description("AN-01 requests answered 503 analytics_store.missing_route since start")
        .register(registry);
  }

  /** @return a fresh registry with default settings */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** @return the registry */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * @param method HTTP method
   * @param route the matched route template (never the raw path: ids would explode the label set)
   * @param status response status
   * @param duration time spent
   */
  public void record(String method, String route, int status, Duration duration) {
    String code = Integer.toString(status);
    Counter.builder("http.requests").description("HTTP requests answered")
        .tags("method", method, "route", route, "status", code)
        .register(registry).increment();
    Timer.builder("http.request.duration").description("HTTP request latency")
        .tags("method", method, "route", route, "status", code)
        .register(registry).record(duration);
  }

  /** @param status the status of one {@code POST /analytics/ingest} ({@code analytics_ingest_requests_total}) */
  public void recordAn01Ingest(int status) {
    Counter.builder("analytics.ingest.requests").description("AN-01 ingest requests by status")
        .tags("status", Integer.toString(status)).register(registry).increment();
  }

  /** Counts one request rejected for a missing analytics_store route. */
  public void recordMissingRoute() {
    missingRoutes.incrementAndGet();
  }

  /** @return the Prometheus text exposition */
  public String scrape() {
    return registry.scrape();
  }
}
