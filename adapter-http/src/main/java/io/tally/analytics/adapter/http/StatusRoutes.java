package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operational routes that need no use case: liveness, readiness (every configured dependency, 503 with
 * per-component status when one is down; 200 with status {@code degraded} when every component answers but one
 * works only in part), Prometheus metrics and the OpenAPI document.
 */
public final class StatusRoutes {
  /** Liveness path. */
  public static final String HEALTHZ = "/analytics/v1/status/healthz";
  /** Readiness path. */
  public static final String READYZ = "/analytics/v1/status/readyz";
  /** Prometheus path. */
  public static final String METRICS = "/metrics";
  /** API document path. */
  public static final String OPENAPI = "/openapi.json";
  /** Classpath resource holding the hand-written OpenAPI 3 document. */
  public static final String OPENAPI_RESOURCE = "/openapi.json";

  private static final String DEGRADED = "degraded";

  private final List<ReadinessCheck> checks;
  private final HttpMetrics metrics;
  private final Duration checkTimeout;
  private final byte[] openApi;
  private final AtomicInteger ready = new AtomicInteger();
  private final Map<String, AtomicInteger> componentUp = new ConcurrentHashMap<>();
  // Probes run here so a hung dependency costs readyz a timeout, not a Jetty thread forever.
  private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "readiness-probe");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param checks the dependencies readiness reports on
   * @param metrics the registry scraped by {@code /metrics}
   * @param checkTimeout how long one probe may take before it counts as down
   */
  public StatusRoutes(List<ReadinessCheck> checks, HttpMetrics metrics, Duration checkTimeout) {
    this.checks = List.copyOf(checks);
    this.metrics = metrics;
    this.checkTimeout = checkTimeout;
    this.openApi = loadOpenApi();
    Gauge.builder("analytics.ready", ready, AtomicInteger::get)
        .description("1 when readyz would answer 200, as of the last scrape").register(metrics.registry());
    checks.forEach(check -> readinessGauge(check.name()));
  }

  /** @return the four status routes */
  public List<Route> routes() {
    return new RouteTable()
        .open(GET, HEALTHZ, ctx -> ctx.json(Map.of("status", "ok")))
        .open(GET, READYZ, this::readiness)
        .open(GET, METRICS, this::scrape)
        .open(GET, OPENAPI, ctx -> ctx.contentType("application/json").result(openApi))
        .routes();
  }

  /**
   * Probes readiness first, so that {@code analytics_ready} and {@code analytics_readiness_component_up} are as of
   * this scrape (the readiness alert needs no one to call readyz); a hung dependency costs the scrape at most the
   * probe timeout.
   */
  private void scrape(Context ctx) {
    Map<String, Map<String, Object>> components = probeAll();
    components.forEach((name, status) -> readinessGauge(name).set(serves(status) ? 1 : 0));
    ready.set(components.values().stream().allMatch(StatusRoutes::serves) ? 1 : 0);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  private AtomicInteger readinessGauge(String component) {
    return componentUp.computeIfAbsent(component, name -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("analytics.readiness.component.up", value, AtomicInteger::get)
          .description("1 when the readyz component is up or degraded (serving), as of the last scrape")
          .tags("component", name)
          .register(metrics.registry());
      return value;
    });
  }

  private Map<String, Map<String, Object>> probeAll() {
    Map<String, CompletableFuture<Void>> running = new LinkedHashMap<>();
    for (ReadinessCheck check : checks) {
      running.put(check.name(), CompletableFuture.runAsync(() -> {
        try {
          check.probe().run();
        } catch (Exception e) {
          throw new ProbeFailed(e);
        }
      }, probes));
    }
    Map<String, Map<String, Object>> components = new LinkedHashMap<>();
    for (ReadinessCheck check : checks) {
      Map<String, Object> status = new LinkedHashMap<>(outcome(running.get(check.name())));
      if ("up".equals(status.get("status"))) {
        degradation(check).ifPresent(reason -> {
          status.put("status", DEGRADED);
          status.put("reason", reason);
        });
      }
      components.put(check.name(), status);
    }
    return components;
  }

  /**
   * A degraded component still serves (readyz answers 200), so it counts as ready in the gauges too: the
   * degradation has its own signal (for the rollup, {@code analytics_rollup_failed_hours}) and must not fire the
   * readiness alert.
   */
  private static boolean serves(Map<String, Object> status) {
    return "up".equals(status.get("status")) || DEGRADED.equals(status.get("status"));
  }

  private void readiness(Context ctx) {
    Map<String, Map<String, Object>> probed = probeAll();
    Map<String, Object> components = new LinkedHashMap<>();
    boolean allAnswer = true;
    boolean anyDegraded = false;
    for (ReadinessCheck check : checks) {
      Map<String, Object> status = new LinkedHashMap<>(probed.get(check.name()));
      allAnswer &= serves(status);
      anyDegraded |= DEGRADED.equals(status.get("status"));
      details(check).forEach(status::putIfAbsent);
      components.put(check.name(), status);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", !allAnswer ? "not_ready" : anyDegraded ? "degraded" : "ready");
    body.put("components", components);
    ctx.status(allAnswer ? 200 : 503).json(body);
  }

  private Map<String, Object> outcome(CompletableFuture<Void> probe) {
    try {
      probe.get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return Map.of("status", "up");
    } catch (TimeoutException e) {
      probe.cancel(true);
      return Map.of("status", "down", "error", "timeout after " + checkTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ProbeFailed failed ? failed.getCause() : e.getCause();
      // Only the exception type: a message may carry a connection string with credentials.
      return Map.of("status", "down", "error", cause.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("status", "down", "error", "interrupted");
    }
  }

  private static Optional<String> degradation(ReadinessCheck check) {
    try {
      return check.degradation().reason();
    } catch (RuntimeException e) {
      return Optional.of("degradation check failed: " + e.getClass().getSimpleName());
    }
  }

  private static Map<String, Object> details(ReadinessCheck check) {
    try {
      return check.details().read();
    } catch (RuntimeException e) {
      // Details are a courtesy; the status already says whether the component is usable.
      return Map.of("detailsError", e.getClass().getSimpleName());
    }
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = StatusRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + OPENAPI_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class ProbeFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProbeFailed(Exception cause) {
      super(cause);
    }
  }
}
