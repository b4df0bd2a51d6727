package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

  private final List<ReadinessCheck> checks;
  private final HttpMetrics metrics;
  private final Duration checkTimeout;
  private final byte[] openApi;
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
  }

  /** @return the four status routes */
  public List<Route> routes() {
    return new RouteTable()
        .open(GET, HEALTHZ, ctx -> ctx.json(Map.of("status", "ok")))
        .open(GET, READYZ, this::readiness)
        .open(GET, METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()))
        .open(GET, OPENAPI, ctx -> ctx.contentType("application/json").result(openApi))
        .routes();
  }

  private void readiness(Context ctx) {
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
    Map<String, Object> components = new LinkedHashMap<>();
    boolean allAnswer = true;
    boolean anyDegraded = false;
    for (ReadinessCheck check : checks) {
      Map<String, Object> status = new LinkedHashMap<>(outcome(running.get(check.name())));
      if ("up".equals(status.get("status"))) {
        Optional<String> degraded = degradation(check);
        if (degraded.isPresent()) {
          status.put("status", "degraded");
          status.put("reason", degraded.get());
          anyDegraded = true;
        }
      } else {
        allAnswer = false;
      }
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
