package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static io.tally.analytics.app.UsageCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, finding 6: authentication failures and 429s were not audited, and an organisation id in
 * {@code X-Actor-Orgs} granted the AN-01 tenant of the same id because scopes were compared as plain strings.
 */
class RefusalAuditIT {
  static final String ORG = "00000000-0000-0000-0000-0000000006a1";

  @RegisterExtension
  static final FreshTally SERVER = new FreshTally(Map.of("RATE_LIMIT_PER_MINUTE", "3",
      "RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "1000"));

  final RunningTally tally = SERVER.tally();
  final FreshDatabase database = SERVER.database();

  @Test
  void authenticationFailuresAreAuditedOncePerAddressAndMinuteNotOncePerRequest() {
    long before = audited("auth.authenticate");
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = tally.get("/analytics/v1/orgs/" + ORG + "/usage", Map.of("X-Actor-Roles", "admin"));
      assertThat(r.statusCode()).isEqualTo(401);
    }
    long records = audited("auth.authenticate") - before;
    assertThat(records).as("audit records for 30 refusals in (at most) two minutes").isBetween(1L, 2L);
    assertThat(reasons("auth.authenticate")).anyMatch(r -> r.contains("auth.unauthenticated")
        && r.contains("127.0.0.1"));
    assertThat(tally.app.services().auditLog().verify()).isEmpty();
  }

  @Test
  void rateLimitedRequestsAreAudited() {
    long before = audited("rate_limit");
    int limited = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = tally.get("/analytics/v1/orgs/" + ORG + "/usage?start=2026-10-01T00:00:00Z"
          + "&end=2026-10-02T00:00:00Z", actor("busy", "viewer", ORG));
      limited += r.statusCode() == 429 ? 1 : 0;
    }
    assertThat(limited).isEqualTo(7);
    assertThat(audited("rate_limit") - before).isBetween(1L, 2L);
    assertThat(reasons("rate_limit")).anyMatch(r -> r.contains("rate_limited"));
  }

  @Test
  void anOrganisationIdDoesNotGrantTheTenantOfTheSameId() {
    HttpResponse<String> r = tally.get("/analytics/query", with(actor("carol", "admin", ORG), "X-Tenant-ID", ORG,
        "X-Mode", "saas"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(json(r).get("error_code").asText()).isEqualTo("auth.cross_org");
    HttpResponse<String> asTenant = tally.get("/analytics/query", with(actor("carol", "admin", null),
        "X-Actor-Tenants", ORG, "X-Tenant-ID", ORG, "X-Mode", "saas"));
    assertThat(asTenant.statusCode()).as("a member of the tenant gets past authorization: %s", asTenant.body())
        .isEqualTo(503);
  }

  private long audited(String action) {
    return tally.app.services().database().jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM analytics.audit_log WHERE action = :a").bind("a", action).mapTo(Long.class).one());
  }

  private List<String> reasons(String action) {
    return tally.app.services().database().jdbi().withHandle(h -> h.createQuery(
        "SELECT scope || ' ' || reason FROM analytics.audit_log WHERE action = :a").bind("a", action)
        .mapTo(String.class).list());
  }
}
