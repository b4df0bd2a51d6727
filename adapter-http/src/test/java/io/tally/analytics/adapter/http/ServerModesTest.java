package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tally.analytics.ports.in.AuditRefusals;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerModesTest {
  static final Route WHOAMI = Route.forActor(GET, "/test/whoami", (ctx, actor) -> ctx.result(actor.subject()));
  static final Map<String, String> ALICE = Map.of("X-Actor-Subject", "alice");

  @Test
  void rateLimitAnswers429WithRetryAfterPerActor() {
    Instant fixed = Instant.parse("2026-01-01T00:00:00Z");
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()),
        new RateLimits(new RateLimits.Budgets(3, 0, 0), () -> fixed), 1024, List.of(), List.of(WHOAMI))) {
      for (int i = 0; i < 3; i++) {
        assertThat(http.get("/test/whoami", ALICE).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> limited = http.get("/test/whoami", ALICE);
      HttpServerTest.assertError(limited, 429, "rate_limited");
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("20");
      assertThat(http.get("/test/whoami", Map.of("X-Actor-Subject", "bob")).statusCode()).isEqualTo(200);
      assertThat(http.get("/analytics/v1/status/healthz").statusCode()).as("open routes are not limited")
          .isEqualTo(200);
    }
  }

  @Test
  void readyzIs503NamingTheFailingComponent() {
    List<ReadinessCheck> checks = List.of(
        new ReadinessCheck("postgres", () -> { }),
        new ReadinessCheck("redis", () -> {
          throw new ConnectException("redis://user:hunter2@host refused");
        }));
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, checks, List.of())) {
      HttpResponse<String> response = http.get("/analytics/v1/status/readyz");
      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode body = TestServer.json(response);
      assertThat(body.get("status").asText()).isEqualTo("not_ready");
      assertThat(body.at("/components/postgres/status").asText()).isEqualTo("up");
      assertThat(body.at("/components/redis/status").asText()).isEqualTo("down");
      assertThat(body.at("/components/redis/error").asText()).isEqualTo("ConnectException");
      assertThat(response.body()).doesNotContain("hunter2");
    }
  }

  /** Issue 8: with the rollup unable to roll up some hour, readyz kept saying ready. */
  @Test
  void aDegradedComponentKeepsReadyz200AndSaysWhy() {
    List<ReadinessCheck> checks = List.of(
        new ReadinessCheck("database", () -> { }),
        new ReadinessCheck("rollup", () -> { }, () -> Map.of("quarantinedHours", 2L),
            () -> Optional.of("2 hours quarantined")));
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, checks, List.of())) {
      HttpResponse<String> response = http.get("/analytics/v1/status/readyz");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = TestServer.json(response);
      assertThat(body.get("status").asText()).isEqualTo("degraded");
      assertThat(body.at("/components/database/status").asText()).isEqualTo("up");
      assertThat(body.at("/components/rollup/status").asText()).isEqualTo("degraded");
      assertThat(body.at("/components/rollup/reason").asText()).isEqualTo("2 hours quarantined");
      assertThat(body.at("/components/rollup/quarantinedHours").asLong()).isEqualTo(2);
    }
    List<ReadinessCheck> downAndDegraded = List.of(
        new ReadinessCheck("database", () -> {
          throw new ConnectException("refused");
        }),
        new ReadinessCheck("rollup", () -> { }, Map::of, () -> Optional.of("quarantined")));
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, downAndDegraded, List.of())) {
      HttpResponse<String> response = http.get("/analytics/v1/status/readyz");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(TestServer.json(response).get("status").asText()).isEqualTo("not_ready");
    }
  }

  /**
   * Merge of issues 8 and 10: the readiness gauges are probed at each scrape and must agree with readyz. A degraded
   * component serves (readyz 200), so it counts as ready; otherwise the readiness alert fires on a quarantined hour.
   */
  @Test
  void theReadinessGaugesCountADegradedComponentAsReadyAndADownOneAsNot() {
    ReadinessCheck degradedRollup = new ReadinessCheck("rollup", () -> { }, Map::of,
        () -> Optional.of("1 hour quarantined"));
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, List.of(new ReadinessCheck("database", () -> { }), degradedRollup), List.of())) {
      String scrape = http.get("/metrics").body();
      assertThat(scrape).contains("analytics_ready 1.0", "analytics_readiness_component_up{component=\"database\"} 1.0",
          "analytics_readiness_component_up{component=\"rollup\"} 1.0");
    }
    List<ReadinessCheck> downAndDegraded = List.of(
        new ReadinessCheck("database", () -> {
          throw new ConnectException("refused");
        }),
        degradedRollup);
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, downAndDegraded, List.of())) {
      String scrape = http.get("/metrics").body();
      assertThat(scrape).contains("analytics_ready 0.0", "analytics_readiness_component_up{component=\"database\"} 0.0",
          "analytics_readiness_component_up{component=\"rollup\"} 1.0");
    }
  }

  @Test
  void readyzShowsEachComponentsDetailsWhetherUpOrDownAndNeverLetsThemOverrideTheStatus() {
    List<ReadinessCheck> checks = List.of(
        new ReadinessCheck("stream", () -> { }, () -> Map.of("state", "running", "lag", 42L, "status", "fake")),
        new ReadinessCheck("broker", () -> {
          throw new ConnectException("refused");
        }, () -> Map.of("state", "reconnecting")),
        new ReadinessCheck("flaky", () -> { }, () -> {
          throw new IllegalStateException("no figures yet");
        }));
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, checks, List.of())) {
      JsonNode body = TestServer.json(http.get("/analytics/v1/status/readyz"));
      assertThat(body.at("/components/stream/status").asText()).isEqualTo("up");
      assertThat(body.at("/components/stream/state").asText()).isEqualTo("running");
      assertThat(body.at("/components/stream/lag").asLong()).isEqualTo(42);
      assertThat(body.at("/components/broker/status").asText()).isEqualTo("down");
      assertThat(body.at("/components/broker/state").asText()).isEqualTo("reconnecting");
      assertThat(body.at("/components/flaky/status").asText()).isEqualTo("up");
      assertThat(body.at("/components/flaky/detailsError").asText()).isEqualTo("IllegalStateException");
    }
  }

  @Test
  void readyzIs200WhenAllChecksPass() {
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(),
        1024, List.of(new ReadinessCheck("postgres", () -> { })), List.of())) {
      HttpResponse<String> response = http.get("/analytics/v1/status/readyz");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(response).get("status").asText()).isEqualTo("ready");
    }
  }

  @Test
  void jwtModeAuthenticatesBearerTokensOnly() throws Exception {
    String secret = "0123456789abcdef0123456789abcdef";
    JwtAuthenticator jwt = new JwtAuthenticator(JwtKeys.load(Optional.of(secret), Optional.empty(), Optional.empty()),
        "iss", "aud", Duration.ofSeconds(30), Instant::now);
    SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
        .subject("carol").issuer("iss").audience("aud")
        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
    token.sign(new MACSigner(secret));
    try (TestServer http = new TestServer(jwt, RateLimits.unlimited(), 1024, List.of(), List.of(WHOAMI))) {
      HttpResponse<String> ok = http.get("/test/whoami", Map.of("Authorization", "Bearer " + token.serialize()));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("carol");
      HttpServerTest.assertError(http.get("/test/whoami", ALICE), 401, "auth.unauthenticated");
      HttpServerTest.assertError(http.get("/test/whoami", Map.of("Authorization", "Bearer x.y.z")), 401,
          "auth.invalid_token");
    }
  }

  @Test
  void stopLetsAnInFlightRequestFinish() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Route slow = Route.open(GET, "/test/slow", ctx -> {
      entered.countDown();
      release.await();
      ctx.result("finished");
    });
    TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(), 1024,
        List.of(), List.of(slow));
    java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> http.get("/test/slow"));
    entered.await();
    // Read the address before stopping starts: a stopping server reports port -1.
    String baseUrl = http.server.baseUrl();
    Thread stopper = new Thread(http::close);
    stopper.start();
    awaitRefusingNewConnections(baseUrl);
    release.countDown();
    stopper.join();
    HttpResponse<String> response = inFlight.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("finished");
  }

  /** Stopping has begun once the listener refuses new connections; the slow request is still running then. */
  static void awaitRefusingNewConnections(String baseUrl) throws InterruptedException {
    java.net.URI uri = java.net.URI.create(baseUrl);
    while (true) {
      try (java.net.Socket probe = new java.net.Socket(uri.getHost(), uri.getPort())) {
        Thread.sleep(10);
      } catch (java.io.IOException refused) {
        return;
      }
    }
  }

  @Test
  void readinessProbeThatHangsCountsAsDown() {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    List<ReadinessCheck> checks = List.of(new ReadinessCheck("rabbitmq", never::await));
    HttpMetrics metrics = new HttpMetrics(HttpMetrics.newRegistry());
    StatusRoutes status = new StatusRoutes(checks, metrics, Duration.ofMillis(50));
    try (TallyHttpServer server = new HttpServerFactory(new HttpSettings("127.0.0.1", 0, 1024),
        new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(), AuditRefusals.none(), metrics)
        .create(status.routes()).start()) {
      HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + StatusRoutes.READYZ)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(TestServer.json(response).at("/components/rabbitmq/error").asText()).startsWith("timeout");
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      never.countDown();
    }
  }

  @Test
  void untrustedPeerIsRejectedOverHttp() {
    // The test client connects from loopback, so an allowlist that excludes nothing still trusts it; an
    // authenticator that sees a foreign peer is simulated by pinning the remote address.
    TrustedHeadersAuthenticator auth = new TrustedHeadersAuthenticator(List.of());
    Authenticator foreignPeer = request -> auth.authenticate(new CallerRequest("198.51.100.4", request.headers()));
    try (TestServer http = new TestServer(foreignPeer, RateLimits.unlimited(), 1024, List.of(),
        List.of(WHOAMI))) {
      HttpServerTest.assertError(http.get("/test/whoami", ALICE), 401, "auth.untrusted_source");
    }
  }
}
