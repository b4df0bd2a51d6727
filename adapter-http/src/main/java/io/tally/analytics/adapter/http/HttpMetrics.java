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
 * The Prometheus registry the whole process shares, and the HTTP meters of DESIGN.md §1.4. Micrometer
 * appends {@code _total} to counters and {@code _seconds} to timers, so the meters are named
 * {@code http.requests}, {@code http.requests.failed} and {@code http.request.duration} to be exposed as
 * {@code http_requests_total}, {@code http_requests_failed_total} and {@code http_request_duration_seconds}.
 * Labels are the route template, method, status and error class, never an id (docs/operations.md, Metrics).
 */
public final class HttpMetrics {
  /**
   * Bucket bounds of {@code http_request_duration_seconds}: explicit, so that the p95 > 2 s and p99 > 5 s alerts
   * ({@code histogram_quantile} over {@code _bucket}) have a bound at each threshold, and few, so that a series per
   * route and status stays cheap.
   */
  static final Duration[] DURATION_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final PrometheusMeterRegistry registry;
  private final AtomicLong missingRoutes = new AtomicLong();
  private final Counter failedClient;
  private final Counter failedServer;

  /** @param registry shared registry; other adapters register their meters on it too */
  public HttpMetrics(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    // A gauge, not a counter, so that Prometheus sees exactly the DESIGN.md name (counters get "_total").
    Gauge.builder("routing.analytics.store.missing.route", missingRoutes, AtomicLong::get)
        .description("AN-01 requests answered 503 analytics_store.missing_route since start")
        .register(registry);
    // Both classes exist from the start at zero, so that rate() sees the very first failure.
    this.failedClient = failed("client");
    this.failedServer = failed("server");
  }

  private Counter failed(String errorClass) {
    return Counter.builder("http.requests.failed")
        .description("HTTP requests answered with an error: class client (4xx) or server (5xx)")
        .tags("class", errorClass).register(registry);
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
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry).record(duration);
    if (status >= 500) {
      failedServer.increment();
    } else if (status >= 400) {
      failedClient.increment();
    }
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
