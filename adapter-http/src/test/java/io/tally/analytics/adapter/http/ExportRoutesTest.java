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
import io.tally.analytics.ports.testdata.ExportJobTestData;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    succeed("job-1", 7, Duration.ofDays(2));
    assertThat(TestServer.json(api.send("GET", BASE + "/job-1", null, ADMIN_A)).get("rowCount").asLong())
        .isEqualTo(7);

    HttpResponse<String> redirect = api.send("GET", BASE + "/job-1/download", null, ADMIN_A);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location").orElseThrow())
        .startsWith("memory:" + KEY + "?expires=");
    assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");

    api.clock.advance(Duration.ofDays(3));
    assertError(api.send("GET", BASE + "/job-1/download", null, ADMIN_A), 410, "export.expired");
    assertError(api.send("GET", BASE + "/job-9/download", null, ADMIN_A), 404, "export.not_found");
  }

  static final String KEY = "exports/" + ORG_A + "/job-1/1/tally-usage-daily.csv";

  private void succeed(String jobId, long rows, Duration retention) {
    Instant now = api.clock.now();
    ExportJob running = api.jobs.claimNext(now, ExportJobTestData.WORKER, now.plusSeconds(60)).orElseThrow();
    assertThat(running.jobId()).isEqualTo(jobId);
    api.objects.put(KEY, "text/csv", out -> out.write("bucket_start\r\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(api.jobs.updateIfHeldBy(ExportJobTestData.WORKER,
        ExportJobTestData.succeeded(running, KEY, rows, now, now.plus(retention)))).isTrue();
  }

  @Test
  void aJobShowsItsProgressFailureAndManifest() {
    create(WEEK.replace("}, ", "}, \"compression\": \"gzip\", "), ADMIN_A);
    Instant now = api.clock.now();
    ExportJob running = api.jobs.claimNext(now, ExportJobTestData.WORKER, now.plusSeconds(60)).orElseThrow();
    api.jobs.updateIfHeldBy(ExportJobTestData.WORKER, running.renew(now, ExportJobTestData.WORKER, 1234,
        now.plusSeconds(60)));
    JsonNode job = TestServer.json(api.send("GET", BASE + "/job-1", null, ADMIN_A));
    assertThat(job.get("status").asText()).isEqualTo("running");
    assertThat(job.get("compression").asText()).isEqualTo("gzip");
    assertThat(job.get("rowsWritten").asLong()).isEqualTo(1234);
    assertThat(job.get("leaseExpiresAt").asText()).isEqualTo(now.plusSeconds(60).toString());
    assertThat(job.get("manifest").isNull()).isTrue();

    create(WEEK, ADMIN_A);
    succeed("job-2", 3, Duration.ofDays(1));
    JsonNode done = TestServer.json(api.send("GET", BASE + "/job-2", null, ADMIN_A));
    assertThat(done.at("/manifest/objectKey").asText()).isEqualTo(KEY);
    assertThat(done.at("/manifest/rows").asLong()).isEqualTo(3);
    assertThat(done.at("/manifest/sha256").asText()).hasSize(64);
    assertThat(done.at("/manifest/columns/0").asText()).isEqualTo("bucket_start");
    assertThat(done.at("/manifest/query/kind").asText()).isEqualTo("usage");
    assertThat(done.at("/manifest/tallyVersion").asText()).isEqualTo("test");
    assertError(create(WEEK.replace("}, ", "}, \"compression\": \"zip\", "), ADMIN_A), 422,
        "export.invalid_request");
  }

  @Test
  void cancelStopsAJobOnceAndIsAudited() {
    create(WEEK, ADMIN_A);
    HttpResponse<String> cancelled = api.send("DELETE", BASE + "/job-1", null, ADMIN_A);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(TestServer.json(cancelled).get("status").asText()).isEqualTo("cancelled");
    assertThat(api.lastAudit().action()).isEqualTo("exports.cancel");
    assertError(api.send("DELETE", BASE + "/job-1", null, ADMIN_A), 409, "export.not_cancellable");
    assertError(api.send("DELETE", BASE + "/job-9", null, ADMIN_A), 404, "export.not_found");
    assertError(api.send("DELETE", BASE + "/job-1", null, actor("vera", "viewer", ORG_A)), 403, "auth.forbidden");
    assertError(api.send("DELETE", BASE + "/job-1", null, actor("bob", "admin", ORG_B)), 403, "auth.cross_org");
    assertError(api.send("GET", BASE + "/job-1/download", null, ADMIN_A), 409, "export.not_ready");
  }

  @Test
  void aSignedFileLinkStreamsTheFileAndRefusesTamperingAndExpiry() {
    create(WEEK, ADMIN_A);
    succeed("job-1", 1, Duration.ofDays(1));
    long expires = api.clock.now().plusSeconds(60).getEpochSecond();
    String sig = api.objects.signer().sign(KEY, expires);
    String path = ExportRoutes.FILES + KEY;
    HttpResponse<String> ok = api.send("GET", path + "?expires=" + expires + "&signature=" + sig, null, Map.of());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("bucket_start\r\n");
    assertThat(ok.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(ok.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"tally-usage-daily.csv\"");
    assertThat(ok.headers().firstValue("Cache-Control")).hasValue("private, no-store");

    assertError(api.send("GET", path + "?expires=" + (expires + 1) + "&signature=" + sig, null, Map.of()), 403,
        "export.link_invalid");
    assertError(api.send("GET", path.replace("job-1", "job-2") + "?expires=" + expires + "&signature=" + sig,
        null, Map.of()), 403, "export.link_invalid");
    assertError(api.send("GET", path + "?expires=soon&signature=" + sig, null, Map.of()), 403,
        "export.link_invalid");
    assertError(api.send("GET", path, null, Map.of()), 403, "export.link_invalid");
    api.clock.advance(Duration.ofSeconds(61));
    assertError(api.send("GET", path + "?expires=" + expires + "&signature=" + sig, null, Map.of()), 410,
        "export.link_expired");
  }

  @Test
  void adminOfAnotherOrgIsDeniedEverywhereAndAudited() {
    create(WEEK, ADMIN_A);
    Map<String, String> adminB = actor("bob", "admin", ORG_B);
    for (HttpResponse<String> denied : java.util.List.of(create(WEEK, adminB),
        api.send("GET", BASE, null, adminB),
        api.send("GET", BASE + "/job-1", null, adminB),
        api.send("GET", BASE + "/job-1/download", null, adminB),
        api.send("DELETE", BASE + "/job-1", null, adminB))) {
      assertError(denied, 403, "auth.cross_org");
    }
    AuditRecord last = api.lastAudit();
    assertThat(last.actorSubject()).isEqualTo("bob");
    assertThat(last.decision()).isEqualTo(AuditEntry.DENY);
    assertThat(last.scope()).isEqualTo("org:" + ORG_A);
    assertThat(last.action()).isEqualTo("exports.cancel");
    assertThat(api.audit.all().stream().filter(r -> r.actorSubject().equals("bob"))).hasSize(5);
    assertThat(TestServer.json(api.send("GET", BASE + "/job-1", null, ADMIN_A)).get("status").asText())
        .isEqualTo("pending");
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
