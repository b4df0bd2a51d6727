package io.tally.analytics.adapter.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * The Prometheus registry the whole process shares, and the two HTTP meters of DESIGN.md §1.4. Micrometer
 * appends {@code _total} to counters and {@code _seconds} to timers, so the meters are named
 * {@code http.requests} and {@code http.request.duration} to be exposed as {@code http_requests_total} and
 * {@code http_request_duration_seconds}.
 */
public final class HttpMetrics {
  private final PrometheusMeterRegistry registry;

  /** @param registry shared registry; other adapters register their meters on it too */
  public HttpMetrics(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
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

  /** @return the Prometheus text exposition */
  public String scrape() {
    return registry.scrape();
  }
}
