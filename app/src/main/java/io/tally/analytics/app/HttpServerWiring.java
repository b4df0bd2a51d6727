package io.tally.analytics.app;

import io.tally.analytics.adapter.http.Authenticator;
import io.tally.analytics.adapter.http.HttpMetrics;
import io.tally.analytics.adapter.http.HttpServerFactory;
import io.tally.analytics.adapter.http.HttpSettings;
import io.tally.analytics.adapter.http.HttpTracing;
import io.tally.analytics.adapter.http.JwtAuthenticator;
import io.tally.analytics.adapter.http.JwtKeys;
import io.tally.analytics.adapter.http.RateLimits;
import io.tally.analytics.adapter.http.ReadinessCheck;
import io.tally.analytics.adapter.http.Route;
import io.tally.analytics.adapter.http.StatusRoutes;
import io.tally.analytics.adapter.http.TallyHttpServer;
import io.tally.analytics.adapter.http.TrustedHeadersAuthenticator;
import io.tally.analytics.ports.in.AuditRefusals;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the HTTP server from the configuration: authenticator, rate limiter, status routes plus API routes. */
final class HttpServerWiring {
  private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

  private HttpServerWiring() {}

  /**
   * @param config validated configuration
   * @param checks dependencies {@code readyz} reports on
   * @param metrics the process-wide registry
   * @param apiRoutes use-case routes (empty until the use cases are wired)
   * @param refusals audits the 401s and 429s
   * @param clock time source for token expiry and rate limiting
   * @return the server, not yet started
   */
  static TallyHttpServer build(TallyConfig config, List<ReadinessCheck> checks, HttpMetrics metrics,
      List<Route> apiRoutes, AuditRefusals refusals, TimeSource clock) {
    return build(config, checks, metrics, apiRoutes, refusals, clock,
        new HttpTracing(io.opentelemetry.api.OpenTelemetry.noop()));
  }

  /** As above, with a span per request. */
  static TallyHttpServer build(TallyConfig config, List<ReadinessCheck> checks, HttpMetrics metrics,
      List<Route> apiRoutes, AuditRefusals refusals, TimeSource clock, HttpTracing tracing) {
    TallyConfig.Http http = config.http();
    List<Route> routes = new ArrayList<>(new StatusRoutes(checks, metrics, READINESS_TIMEOUT).routes());
    routes.addAll(apiRoutes);
    return new HttpServerFactory(new HttpSettings(http.host(), http.port(), http.maxBodyBytes()),
        authenticator(config.auth(), clock), rateLimits(config, clock), refusals, metrics, tracing).create(routes);
  }

  static RateLimits rateLimits(TallyConfig config, TimeSource clock) {
    return new RateLimits(new RateLimits.Budgets(config.http().rateLimitPerMinute(),
        config.guards().rateLimitPerScopePerMinute(), config.guards().rateLimitPerAddressPerMinute()), clock);
  }

  static Authenticator authenticator(TallyConfig.Auth auth, TimeSource clock) {
    if (auth.mode() == AuthMode.TRUSTED_HEADERS) {
      return new TrustedHeadersAuthenticator(auth.trustedProxyCidrs());
    }
    TallyConfig.Jwt jwt = auth.jwt().orElseThrow();
    JwtKeys keys;
    try {
      keys = JwtKeys.load(jwt.hs256Secret().map(Secret::value), jwt.publicKeyPemFile(), jwt.jwksFile());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("JWT_PUBLIC_KEY_PEM_FILE/JWT_JWKS_FILE", e.getMessage());
    }
    return new JwtAuthenticator(keys, jwt.issuer(), jwt.audience(), JwtAuthenticator.DEFAULT_SKEW, clock);
  }
}
