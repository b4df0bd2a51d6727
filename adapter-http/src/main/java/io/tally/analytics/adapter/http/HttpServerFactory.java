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
import io.tally.analytics.ports.in.AuditRefusals;
import io.tally.analytics.ports.in.AuditRefusals.Refusal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds the Javalin server around a route table: request ids, the body-size limit, refusal of ambiguous requests
 * (duplicated identity headers; bare-LF header framing, refused by Jetty's HTTP compliance), authentication and
 * rate limiting ({@link RateLimits}) for {@link Route.ForActor} routes, auditing of the requests refused before any
 * use case ran ({@link AuditRefusals}), one exception mapper ({@link ErrorResponses}), a structured access log and
 * the HTTP metrics.
 */
public final class HttpServerFactory {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.tally.analytics.http.access");
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerFactory.class);
  /** How long a stop waits for in-flight requests. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final String STARTED_AT = "tally.started_at";
  private static final String ERROR_WRITTEN = "tally.error_written";

  /**
   * Headers whose value says who is calling or whose data is touched: sent twice, which copy a proxy or a client
   * library keeps is anyone's guess, so such a request is refused ({@code request.ambiguous_header}) instead of
   * letting the first one win (issue 8).
   */
  public static final List<String> SINGLE_VALUED_HEADERS = List.of(TrustedHeadersAuthenticator.SUBJECT,
      TrustedHeadersAuthenticator.ROLES, TrustedHeadersAuthenticator.ORGS, TrustedHeadersAuthenticator.TENANTS,
      "Authorization", StoreHeaders.TENANT, StoreHeaders.MODE, StoreHeaders.PROJECT);
  /** Error code of a request carrying one of {@link #SINGLE_VALUED_HEADERS} more than once. */
  public static final String AMBIGUOUS_HEADER = "request.ambiguous_header";
  // RFC 9110 framing minus bare LF line ends: "X-A: 1\nX-B: 2" must not become two headers (issue 8).
  private static final HttpCompliance COMPLIANCE = HttpCompliance.RFC9110.without("RFC9110_NO_BARE_LF",
      HttpCompliance.Violation.LF_HEADER_TERMINATION);

  private final HttpSettings settings;
  private final Authenticator authenticator;
  private final RateLimits rateLimits;
  private final AuditRefusals refusals;
  private final HttpMetrics metrics;
  private final HttpTracing tracing;

  /**
   * @param settings bind address and body limit
   * @param authenticator turns request credentials into an actor
   * @param rateLimits per-principal, per-scope and per-address budgets
   * @param refusals audits 401s and 429s
   * @param metrics registry for the HTTP meters
   */
  public HttpServerFactory(HttpSettings settings, Authenticator authenticator, RateLimits rateLimits,
      AuditRefusals refusals, HttpMetrics metrics) {
    this(settings, authenticator, rateLimits, refusals, metrics, new HttpTracing(OpenTelemetry.noop()));
  }

  /** As above, with a span per request ({@link HttpTracing}). */
  public HttpServerFactory(HttpSettings settings, Authenticator authenticator, RateLimits rateLimits,
      AuditRefusals refusals, HttpMetrics metrics, HttpTracing tracing) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
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
    config.jetty.modifyHttpConfiguration(http -> http.setHttpCompliance(COMPLIANCE));
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
    config.routes.error(404, ctx -> rewriteJavalinError(ctx, 404));
    config.routes.error(405, ctx -> rewriteJavalinError(ctx, 405));
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
    String address = ctx.req().getRemoteAddr();
    Actor actor;
    try {
      actor = authenticator.authenticate(new CallerRequest(address, ctx::header));
    } catch (AuthenticationException failed) {
      chargeRefused(address);
      refusals.refused(new Refusal(address, failed.errorCode(), Optional.empty()));
      throw failed;
    }
    ctx.attribute(TallyHttpServer.ACTOR_ATTRIBUTE, actor);
    MDC.put("actor", actor.subject());
    try {
      rateLimits.admit(actor);
    } catch (RateLimitedException limited) {
      refusals.refused(new Refusal(address, limited.errorCode(), Optional.of(actor.subject())));
      throw limited;
    }
    return actor;
  }

  /** A refused request costs its client address a token; with none left the answer is 429, audited as such. */
  private void chargeRefused(String address) {
    try {
      rateLimits.chargeRefused(address);
    } catch (RateLimitedException limited) {
      refusals.refused(new Refusal(address, limited.errorCode(), Optional.empty()));
      throw limited;
    }
  }

  private void refuseAmbiguousHeaders(Context ctx) {
    for (String name : SINGLE_VALUED_HEADERS) {
      Enumeration<String> values = ctx.req().getHeaders(name);
      if (values != null && values.hasMoreElements()) {
        values.nextElement();
        if (values.hasMoreElements()) {
          chargeRefused(ctx.req().getRemoteAddr());
          throw new RequestRejectedException(AMBIGUOUS_HEADER, name + " must be sent at most once");
        }
      }
    }
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
      throw new RequestRejectedException(TallyException.Kind.TOO_LARGE, "request.too_large",
          "Request body exceeds " + settings.maxBodyBytes() + " bytes");
    }
    refuseAmbiguousHeaders(ctx);
  }

  private void mapException(Exception failure, Context ctx) {
    String requestId = requestId(ctx);
    writeError(ctx, ErrorResponses.from(failure, requestId), failure);
  }

  private void writeError(Context ctx, ErrorResponses.ErrorResponse response, Exception failure) {
    String requestId = response.error().requestId();
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

  private void rewriteJavalinError(Context ctx, int status) {
    if (ctx.attribute(ERROR_WRITTEN) == null) {
      ApiError error = ErrorResponses.forProtocolStatus(status, requestId(ctx));
      writeError(ctx, new ErrorResponses.ErrorResponse(error, java.util.Map.of()), null);
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
