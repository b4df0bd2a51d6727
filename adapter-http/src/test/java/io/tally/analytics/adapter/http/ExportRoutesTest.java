package io.tally.analytics.adapter.http;

import static io.tally.analytics.adapter.http.ApiFixture.ORG_A;
import static io.tally.analytics.adapter.http.ApiFixture.ORG_B;
import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static io.tally.analytics.adapter.http.HttpServerTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.core.export.ExportJob;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExportRoutesTest {
  static final String WEEK = """
      {"timeRange": {"start": "2025-11-01T00:00:00Z", "end": "2025-11-07T23:59:59Z"}, "granularity": "daily"}""";
  static final String BASE = "/analytics/v1/orgs/" + ORG_A + "/exports";
  static final Map<String, String> ADMIN_A = actor("alice", "admin", ORG_A);

  final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  HttpResponse<String> create(String body, Map<String, String> headers) {
    return api.send("POST", BASE, body, headers);
  }

  @Test
  void createReadAndListJobs() {
    HttpResponse<String> created = create(WEEK, ADMIN_A);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    JsonNode job = TestServer.json(created);
    assertThat(job.get("jobId").asText()).isEqualTo("job-1");
    assertThat(job.get("orgId").asText()).isEqualTo(ORG_A);
    assertThat(job.get("status").asText()).isEqualTo("pending");
    assertThat(job.get("kind").asText()).isEqualTo("usage");
    assertThat(job.get("granularity").asText()).isEqualTo("daily");
    assertThat(job.at("/timeRange/start").asText()).isEqualTo("2025-11-01T00:00:00Z");
    assertThat(job.at("/timeRange/end").asText()).isEqualTo("2025-11-07T23:59:59Z");
    assertThat(job.get("requestedBy").asText()).isEqualTo("alice");
    assertThat(job.get("expiresAt").isNull()).isTrue();
    assertThat(created.headers().firstValue("Location")).hasValue(BASE + "/job-1");

    assertThat(TestServer.json(api.send("GET", BASE + "/job-1", null, ADMIN_A)).get("status").asText())
        .isEqualTo("pending");
    assertError(api.send("GET", BASE + "/job-404", null, ADMIN_A), 404, "export.not_found");

    api.clock.advance(Duration.ofSeconds(1));
    create(WEEK.replace("daily", "hourly").replace("}, ", ", \"x\": 1}, "), ADMIN_A);
    api.clock.advance(Duration.ofSeconds(1));
    create(WEEK.replace("}, ", "}, \"kind\": \"raw\", "), ADMIN_A);
    JsonNode page1 = TestServer.json(api.send("GET", BASE + "?limit=2", null, ADMIN_A));
    assertThat(page1.get("jobs")).hasSize(2);
    assertThat(page1.at("/jobs/0/jobId").asText()).isEqualTo("job-3");
    assertThat(page1.at("/jobs/0/kind").asText()).isEqualTo("raw");
    assertThat(page1.at("/jobs/1/granularity").asText()).isEqualTo("hourly");
    String cursor = java.net.URLEncoder.encode(page1.get("nextCursor").asText(),
        java.nio.charset.StandardCharsets.UTF_8);
    JsonNode page2 = TestServer.json(api.send("GET", BASE + "?limit=2&cursor=" + cursor, null, ADMIN_A));
    assertThat(page2.get("jobs")).hasSize(1);
    assertThat(page2.at("/jobs/0/jobId").asText()).isEqualTo("job-1");
    assertThat(page2.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void downloadRedirectsOnceSucceededAnd409And410Otherwise() {
    create(WEEK, ADMIN_A);
    assertError(api.send("GET", BASE + "/job-1/download", null, ADMIN_A), 409, "export.not_ready");
    ExportJob running = api.jobs.claimNext(api.clock.now()).orElseThrow();
    Instant now = api.clock.now();
    api.jobs.update(running.succeed(now, "exports/" + ORG_A + "/job-1.csv", 7, now.plus(Duration.ofDays(2))));
    assertThat(TestServer.json(api.send("GET", BASE + "/job-1", null, ADMIN_A)).get("rowCount").asLong())
        .isEqualTo(7);

    HttpResponse<String> redirect = api.send("GET", BASE + "/job-1/download", null, ADMIN_A);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location").orElseThrow())
        .startsWith("memory://exports/" + ORG_A + "/job-1.csv?expires=");
    assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");

    api.clock.advance(Duration.ofDays(3));
    assertError(api.send("GET", BASE + "/job-1/download", null, ADMIN_A), 410, "export.expired");
    assertError(api.send("GET", BASE + "/job-9/download", null, ADMIN_A), 404, "export.not_found");
  }

  @Test
  void adminOfAnotherOrgIsDeniedEverywhereAndAudited() {
    create(WEEK, ADMIN_A);
    Map<String, String> adminB = actor("bob", "admin", ORG_B);
    for (HttpResponse<String> denied : java.util.List.of(create(WEEK, adminB),
        api.send("GET", BASE, null, adminB),
        api.send("GET", BASE + "/job-1", null, adminB),
        api.send("GET", BASE + "/job-1/download", null, adminB))) {
      assertError(denied, 403, "auth.cross_org");
    }
    AuditRecord last = api.lastAudit();
    assertThat(last.actorSubject()).isEqualTo("bob");
    assertThat(last.decision()).isEqualTo(AuditEntry.DENY);
    assertThat(last.scope()).isEqualTo("org:" + ORG_A);
    assertThat(last.action()).isEqualTo("exports.download");
    assertThat(api.audit.all().stream().filter(r -> r.actorSubject().equals("bob"))).hasSize(4);
  }

  @Test
  void missingOrgScopeIs403NamingTheHeader() {
    JsonNode body = assertError(create(WEEK, actor("alice", "admin", null)), 403, "auth.no_org_scope");
    assertThat(body.get("message").asText()).contains("X-Actor-Orgs");
    assertThat(api.lastAudit().decision()).isEqualTo(AuditEntry.DENY);
  }

  @Test
  void rolesDecideWhatAMemberMayDo() {
    create(WEEK, ADMIN_A);
    Map<String, String> viewer = actor("vera", "viewer", ORG_A);
    assertError(create(WEEK, viewer), 403, "auth.forbidden");
    assertThat(api.send("GET", BASE + "/job-1", null, viewer).statusCode()).isEqualTo(200);
    assertError(api.send("GET", BASE + "/job-1/download", null, viewer), 403, "auth.forbidden");
    assertThat(create(WEEK, actor("ann", "analyst", ORG_A)).statusCode()).isEqualTo(202);
    assertThat(create(WEEK, actor("root", "admin", "*")).statusCode()).as("platform operator").isEqualTo(202);
  }

  @Test
  void malformedRequestsGetTheirOwn4xxCodes() {
    assertError(create("{\"timeRange\": ", ADMIN_A), 400, "request.malformed_json");
    assertError(create("{}", ADMIN_A), 422, "export.invalid_request");
    assertError(create("{\"timeRange\": \"last week\"}", ADMIN_A), 422, "request.invalid_type");
    assertError(create(WEEK.replace("2025-11-01T00:00:00Z", "2025-11-09T00:00:00Z"), ADMIN_A), 400,
        "request.invalid_range");
    assertError(create(WEEK.replace("2025-11-01T00:00:00Z", "Nov 1"), ADMIN_A), 400, "request.invalid_time");
    assertError(create(WEEK.replace("daily", "weekly"), ADMIN_A), 400, "request.invalid_granularity");
    assertError(create(WEEK.replace("daily", "hourly").replace("2025-11-01", "2025-01-01"), ADMIN_A), 400,
        "request.range_too_large");
    assertError(create(WEEK.replace("}, ", "}, \"kind\": \"raw\", ").replace("2025-11-01", "2025-01-01"), ADMIN_A),
        400, "request.range_too_large");
    assertError(create(WEEK.replace("}, ", "}, \"kind\": \"pdf\", "), ADMIN_A), 422, "export.invalid_request");
    assertError(api.send("POST", "/analytics/v1/orgs/not-a-uuid/exports", WEEK, ADMIN_A), 400,
        "request.invalid_path_param");
    assertError(api.send("GET", BASE + "?limit=101", null, ADMIN_A), 400, "request.invalid_limit");
    assertError(api.send("GET", BASE + "/job%20one", null, ADMIN_A), 400, "request.invalid_path_param");
    assertThat(api.jobs.list(ORG_A, java.util.Optional.empty(), 10).jobs()).isEmpty();
  }
}
