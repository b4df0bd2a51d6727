package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.ports.in.AuditRefusals.Refusal;
import io.tally.analytics.ports.in.AuditRefusals;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, findings 4 to 6 at the adapter: ambiguous requests are refused before anyone is authenticated, the
 * budgets are keyed on what the caller cannot change, and every 401 and 429 reaches the refusal audit.
 */
class RequestGuardsTest {
  static final Route WHOAMI = Route.forActor(GET, "/test/whoami", (ctx, actor) -> ctx.result(actor.subject()));
  static final String ORG = "00000000-0000-0000-0000-0000000000a1";
  static final Instant FIXED = Instant.parse("2026-12-06T12:00:00Z");

  final List<Refusal> refused = new CopyOnWriteArrayList<>();
  final AuditRefusals recording = new AuditRefusals() {
    @Override
    public void refused(Refusal refusal) {
      refused.add(refusal);
    }

    @Override
    public void flush() {}
  };

  TestServer server(RateLimits.Budgets budgets) {
    return new TestServer(new TrustedHeadersAuthenticator(List.of()), new RateLimits(budgets, () -> FIXED),
        recording, 1024, List.of(), List.of(WHOAMI));
  }

  static Map<String, String> actor(String subject, String orgs) {
    return Map.of("X-Actor-Subject", subject, "X-Actor-Roles", "viewer", "X-Actor-Orgs", orgs);
  }

  @Test
  void eachIdentityTenantOrAuthorizationHeaderMayAppearOnlyOnce() {
    try (TestServer http = server(new RateLimits.Budgets(0, 0, 0))) {
      for (String name : HttpServerFactory.SINGLE_VALUED_HEADERS) {
        String response = raw(http, "GET /test/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + "X-Actor-Subject: alice\r\n" + name + ": one\r\n" + name.toLowerCase() + ": two\r\n\r\n");
        assertThat(response).as(name).startsWith("HTTP/1.1 400 ").contains("\"error_code\":\"request.ambiguous_header\"")
            .contains(name + " must be sent at most once");
      }
      assertThat(raw(http, "GET /test/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Actor-Subject: alice\r\n"
          + "Accept: a/b\r\nAccept: c/d\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void aBareLfInTheHeaderBlockIsRefusedAsMalformed() {
    try (TestServer http = server(new RateLimits.Budgets(0, 0, 0))) {
      String response = raw(http, "GET /test/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + "X-Actor-Subject: alice\nX-Actor-Orgs: *\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 400 ").contains("request.bad_request");
      assertThat(raw(http, "GET /test/whoami HTTP/1.1\nHost: x\nConnection: close\nX-Actor-Subject: a\n\n"))
          .startsWith("HTTP/1.1 400 ");
    }
  }

  @Test
  void rotatingSubjectsShareTheirScopesBudgetAndOneSubjectHasABudgetPerScope() {
    try (TestServer http = server(new RateLimits.Budgets(2, 5, 0))) {
      List<Integer> rotating = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        rotating.add(http.get("/test/whoami", actor("s" + i, ORG)).statusCode());
      }
      assertThat(rotating).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
      String other = "00000000-0000-0000-0000-0000000000b1";
      String third = "00000000-0000-0000-0000-0000000000c1";
      assertThat(http.get("/test/whoami", actor("alice", other)).statusCode()).isEqualTo(200);
      assertThat(http.get("/test/whoami", actor("alice", other)).statusCode()).isEqualTo(200);
      assertThat(http.get("/test/whoami", actor("alice", other)).statusCode()).isEqualTo(429);
      assertThat(http.get("/test/whoami", actor("alice", third)).statusCode()).isEqualTo(200);
      assertThat(refused).extracting(Refusal::errorCode).containsOnly("rate_limited");
      assertThat(refused).extracting(Refusal::subject).contains(Optional.of("s5"), Optional.of("alice"));
    }
  }

  @Test
  void failedAuthenticationIsLimitedAndAuditedPerClientAddress() {
    try (TestServer http = server(new RateLimits.Budgets(0, 0, 3))) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r = http.get("/test/whoami", Map.of("X-Actor-Roles", "viewer"));
        statuses.add(r.statusCode());
        if (r.statusCode() == 429) {
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
      }
      assertThat(statuses).containsExactly(401, 401, 401, 429, 429);
      assertThat(refused).extracting(Refusal::errorCode).containsExactly("auth.unauthenticated",
          "auth.unauthenticated", "auth.unauthenticated", "rate_limited", "rate_limited");
      assertThat(refused).extracting(Refusal::clientAddress).containsOnly("127.0.0.1");
      assertThat(http.get("/test/whoami", actor("alice", ORG)).statusCode())
          .as("an authenticated caller from the same address is not affected").isEqualTo(200);
    }
  }

  @Test
  void keysAreTheScopeThePrincipalAndTheAddressOrItsIpv6Prefix() {
    assertThat(RateLimits.addressKey("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(RateLimits.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo(RateLimits.addressKey("[2001:db8:1:2:bbbb::9]"))
        .isEqualTo("2001:0db8:0001:0002::/64");
    assertThat(RateLimits.addressKey("2001:db8:1:3::1")).isNotEqualTo(RateLimits.addressKey("2001:db8:1:2::1"));
    io.tally.analytics.core.rbac.Actor a = new TrustedHeadersAuthenticator(List.of()).authenticate(
        new CallerRequest("127.0.0.1", h -> Map.of("X-Actor-Subject", "alice", "X-Actor-Orgs", ORG + ",t1").get(h)));
    assertThat(RateLimits.scopeKey(a)).isEqualTo("orgs=" + ORG + ";tenants=t1");
    assertThat(RateLimits.principalKey(a)).isEqualTo("orgs=" + ORG + ";tenants=t1 alice");
  }

  private static String raw(TestServer http, String request) {
    return RawHttp.exchange(URI.create(http.server.baseUrl()), request);
  }

}
