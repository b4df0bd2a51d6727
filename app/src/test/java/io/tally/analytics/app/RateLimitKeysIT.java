package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, finding 4: the rate limit was keyed on the caller-sent {@code X-Actor-Subject} alone, so rotating it
 * bypassed the limit, one subject shared its budget across organisations, and 401s were never limited. Budgets
 * are now per principal and scope, per scope, and per client address for requests that fail authentication.
 */
class RateLimitKeysIT {
  static final String ORG_1 = "00000000-0000-0000-0000-0000000004a1";
  static final String ORG_2 = "00000000-0000-0000-0000-0000000004b1";
  static final String ORG_3 = "00000000-0000-0000-0000-0000000004c1";

  @RegisterExtension
  static final FreshTally SERVER = new FreshTally(Map.of("RATE_LIMIT_PER_MINUTE", "5",
      "RATE_LIMIT_PER_SCOPE_PER_MINUTE", "20", "RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "5"));

  final RunningTally tally = SERVER.tally();
  final FreshDatabase database = SERVER.database();

  HttpResponse<String> usage(String subject, String org) {
    return tally.get("/analytics/v1/orgs/" + org + "/usage?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z",
        actor(subject, "viewer", org));
  }

  @Test
  void rotatingTheSubjectDoesNotEscapeTheOrganisationsBudget() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(usage("rotating-" + i, ORG_1).statusCode());
    }
    assertThat(statuses.subList(0, 20)).containsOnly(200);
    assertThat(statuses.subList(20, 40)).containsOnly(429);
  }

  @Test
  void oneSubjectHasASeparateBudgetInEachOrganisation() {
    for (int i = 0; i < 5; i++) {
      assertThat(usage("alice", ORG_2).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = usage("alice", ORG_2);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(usage("alice", ORG_3).statusCode()).as("alice in another organisation").isEqualTo(200);
  }

  @Test
  void requestsThatFailAuthenticationAreLimitedPerClientAddress() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(tally.get("/analytics/v1/orgs/" + ORG_1 + "/usage?start=2026-10-01T00:00:00Z"
          + "&end=2026-10-02T00:00:00Z", Map.of("X-Actor-Roles", "viewer")).statusCode());
    }
    assertThat(statuses).as("five 401s, then 429s").containsExactly(401, 401, 401, 401, 401, 429, 429, 429, 429, 429);
  }
}
