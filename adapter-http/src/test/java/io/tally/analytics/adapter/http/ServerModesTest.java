package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
        new ActorRateLimiter(3, () -> fixed), 1024, List.of(), List.of(WHOAMI))) {
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
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), ActorRateLimiter.unlimited(),
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

  @Test
  void readyzIs200WhenAllChecksPass() {
    try (TestServer http = new TestServer(new TrustedHeadersAuthenticator(List.of()), ActorRateLimiter.unlimited(),
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
    try (TestServer http = new TestServer(jwt, ActorRateLimiter.unlimited(), 1024, List.of(), List.of(WHOAMI))) {
      HttpResponse<String> ok = http.get("/test/whoami", Map.of("Authorization", "Bearer " + token.serialize()));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("carol");
      HttpServerTest.assertError(http.get("/test/whoami", ALICE), 401, "auth.unauthenticated");
      HttpServerTest.assertError(http.get("/test/whoami", Map.of("Authorization", "Bearer x.y.z")), 401,
          "auth.invalid_token");
    }
  }

  @Test
  void untrustedPeerIsRejectedOverHttp() {
    // The test client connects from loopback, so an allowlist that excludes nothing still trusts it; an
    // authenticator that sees a foreign peer is simulated by pinning the remote address.
    TrustedHeadersAuthenticator auth = new TrustedHeadersAuthenticator(List.of());
    Authenticator foreignPeer = request -> auth.authenticate(new CallerRequest("198.51.100.4", request.headers()));
    try (TestServer http = new TestServer(foreignPeer, ActorRateLimiter.unlimited(), 1024, List.of(),
        List.of(WHOAMI))) {
      HttpServerTest.assertError(http.get("/test/whoami", ALICE), 401, "auth.untrusted_source");
    }
  }
}
