package io.tally.analytics.adapter.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.opentelemetry.api.OpenTelemetry;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.RouteOrRejectPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds the Javalin server around a route table: request ids, the body-size limit, authentication and
 * per-actor rate limiting for {@link Route.ForActor} routes, one exception mapper ({@link ErrorResponses}), a
 * structured access log and the HTTP metrics.
 */
public final class HttpServerFactory {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.tally.analytics.http.access");
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerFactory.class);
  /** How long a stop waits for in-flight requests. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final String STARTED_AT = "tally.started_at";
  private static final String ERROR_WRITTEN = "tally.error_written";

  private final HttpSettings settings;
  private final Authenticator authenticator;
  private final ActorRateLimiter rateLimiter;
  private final HttpMetrics metrics;
  private final HttpTracing tracing;

  /**
   * @param settings bind address and body limit
   * @param authenticator turns request credentials into an actor
   * @param rateLimiter per-actor budget
   * @param metrics registry for the HTTP meters
   */
  public HttpServerFactory(HttpSettings settings, Authenticator authenticator, ActorRateLimiter rateLimiter,
      HttpMetrics metrics) {
    this(settings, authenticator, rateLimiter, metrics, new HttpTracing(OpenTelemetry.noop()));
  }

  /** As above, with a span per request ({@link HttpTracing}). */
  public HttpServerFactory(HttpSettings settings, Authenticator authenticator, ActorRateLimiter rateLimiter,
      HttpMetrics metrics, HttpTracing tracing) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.tracing = Objects.requireNonNull(tracing, "tracing");
  }

  /**
   * @param routes the route table; a method and path may appear once
   * @return the server, not yet started
   */
  public TallyHttpServer create(List<Route> routes) {
    rejectDuplicates(routes);
    List<String> registered = new CopyOnWriteArrayList<>();
    Javalin app = Javalin.create(config -> configure(config, routes, registered));
    return new TallyHttpServer(app, settings, registered);
  }

  private void configure(JavalinConfig config, List<Route> routes, List<String> registered) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = settings.maxBodyBytes();
    config.http.prefer405over404 = true;
    config.jetty.modifyServer(server -> {
      server.setErrorHandler(new ProtocolErrorHandler());
      // Javalin attaches its servlet inside this wrapper; on stop, Jetty stops accepting and waits for
      // in-flight requests up to the stop timeout (graceful shutdown, DESIGN.md §1.4).
      server.setHandler(new GracefulHandler());
      server.setStopTimeout(SHUTDOWN_GRACE.toMillis());
    });
    config.jsonMapper(new JavalinJackson(JsonBodies.strictMapper(), false));
    config.events.handlerAdded(meta -> {
      if (meta.getHttpMethod().isHttpMethod()) {
        registered.add(meta.getHttpMethod().name() + " " + meta.getPath());
      }
    });
    config.routes.before(this::beginRequest);
    config.routes.exception(Exception.class, this::mapException);
    // Javalin answers unmatched paths and methods itself with plain text; these rewrite them into the one shape.
    config.routes.error(404, ctx -> rewriteJavalinError(ctx, "route.not_found", "No route matches this path"));
    config.routes.error(405, ctx -> rewriteJavalinError(ctx, "request.method_not_allowed",
        "This path does not accept this method"));
    config.requestLogger.http(this::endRequest);
    for (Route route : routes) {
      config.routes.addHttpHandler(route.method(), route.path(), handlerFor(route));
    }
  }

  private Handler handlerFor(Route route) {
    if (route instanceof Route.ForActor forActor) {
      return ctx -> forActor.handler().handle(ctx, admit(ctx));
    }
    return ((Route.Open) route).handler();
  }

  private Actor admit(Context ctx) {
    Actor actor = authenticator.authenticate(new CallerRequest(ctx.req().getRemoteAddr(), ctx::header));
    ctx.attribute(TallyHttpServer.ACTOR_ATTRIBUTE, actor);
    MDC.put("actor", actor.subject());
    rateLimiter.acquire(actor.subject());
    return actor;
  }

  private void beginRequest(Context ctx) {
    ctx.attribute(STARTED_AT, System.nanoTime());
    String requestId = RequestIds.acceptOrGenerate(ctx.header(RequestIds.HEADER));
    ctx.attribute(RequestIds.KEY, requestId);
    ctx.header(RequestIds.HEADER, requestId);
    MDC.put(RequestIds.KEY, requestId);
    tracing.begin(ctx);
    long declared = ctx.req().getContentLengthLong();
    if (declared > settings.maxBodyBytes()) {
      try {
        OversizeBodies.drain(ctx.req().getInputStream(), declared, settings.maxBodyBytes());
      } catch (IOException e) {
        // No body stream to drain; the 413 goes out regardless.
      }
      throw new RequestRejectedException("request.too_large",
          "Request body exceeds " + settings.maxBodyBytes() + " bytes");
    }
  }

  private void mapException(Exception failure, Context ctx) {
    String requestId = requestId(ctx);
    ErrorResponses.ErrorResponse response = ErrorResponses.from(failure, requestId);
    if (RouteOrRejectPolicy.MISSING_ROUTE.equals(response.error().errorCode())) {
      metrics.recordMissingRoute();
    }
    int status = response.error().statusCode();
    if (status == 500) {
      LOG.error("request {} failed", requestId, failure);
    } else if (status > 500) {
      // A known unavailability (missing route, backend down) is an operational signal, not a bug: no stack.
      LOG.warn("request {} unavailable: {}: {}", requestId, response.error().errorCode(), response.error().message());
    } else {
      LOG.debug("request {} rejected: {}", requestId, response.error().errorCode());
    }
    response.headers().forEach(ctx::header);
    ctx.header(RequestIds.HEADER, requestId);
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    ctx.status(response.error().statusCode()).json(response.error().toBody());
  }

  private void rewriteJavalinError(Context ctx, String errorCode, String message) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      mapException(new TallyException(errorCode, message), ctx);
    }
  }

  private void endRequest(Context ctx, Float ignoredMillis) {
    String route = routeLabel(ctx);
    try {
      Long startedAt = ctx.attribute(STARTED_AT);
      Duration took = Duration.ofNanos(startedAt == null ? 0 : System.nanoTime() - startedAt);
      metrics.record(ctx.method().name(), route, ctx.statusCode(), took);
      if (AnalyticsEventRoutes.INGEST.equals(route)) {
        metrics.recordAn01Ingest(ctx.statusCode());
      }
      ACCESS.atInfo()
          .addKeyValue("request_id", requestId(ctx))
          .addKeyValue("method", ctx.method().name())
          .addKeyValue("route", route)
          .addKeyValue("path", ctx.path())
          .addKeyValue("status", ctx.statusCode())
          .addKeyValue("duration_ms", took.toNanos() / 1_000_000.0)
          .addKeyValue("remote", ctx.req().getRemoteAddr())
          .addKeyValue("actor", TallyHttpServer.actor(ctx).map(Actor::subject).orElse("-"))
          .log("http_request");
    } finally {
      tracing.end(ctx, route, ctx.statusCode());
      MDC.remove(RequestIds.KEY);
      MDC.remove("actor");
    }
  }

  private static String routeLabel(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException noEndpoint) {
      return "unmatched";
    }
  }

  private static String requestId(Context ctx) {
    String id = ctx.attribute(RequestIds.KEY);
    return id != null ? id : RequestIds.acceptOrGenerate(null);
  }

  private static void rejectDuplicates(List<Route> routes) {
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (Route route : routes) {
      if (!seen.add(route.key())) {
        duplicates.add(route.key());
      }
    }
    if (!duplicates.isEmpty()) {
      throw new IllegalArgumentException("duplicate routes: " + duplicates);
    }
  }
}
