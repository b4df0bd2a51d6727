package io.tally.analytics.adapter.http;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static io.tally.analytics.adapter.http.HttpServerTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditRecord;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnalyticsEventRoutesTest {
  static final String PAGEVIEW = """
      {"event_type": "pageview", "payload": {"url": "https://example.com"},
       "utm_source": "google", "utm_campaign": "summer_2025",
       "app": "northstar_ui", "surface": "homepage", "platform": "web",
       "occurred_at": "2025-01-01T10:00:00Z"}""";
  static final Map<String, String> ADMIN_T1 = with(actor("alice", "admin", "t1"),
      "X-Tenant-ID", "t1", "X-Mode", "saas", "X-Project-ID", "p1");

  final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  HttpResponse<String> ingest(String body, Map<String, String> headers) {
    return api.send("POST", "/analytics/ingest", body, headers);
  }

  @Test
  void ingestQueryAggregateAndDeleteRoundTrip() throws Exception {
    api.withPostgresRoute("t1");
    HttpResponse<String> first = ingest(PAGEVIEW, ADMIN_T1);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(TestServer.json(first)).isEqualTo(TestServer.JSON.readTree("{\"event_id\": \"evt-1\"}"));
    ingest(PAGEVIEW.replace("google", "facebook").replace("10:00", "11:00"), ADMIN_T1);
    ingest(PAGEVIEW.replace("10:00", "12:00").replace("\"app\"", "\"user_id\": \"u-1\", \"app\""), ADMIN_T1);
    assertThat(api.store.size()).isEqualTo(3);

    JsonNode page1 = TestServer.json(api.send("GET", "/analytics/query?utm_source=google&limit=1", null, ADMIN_T1));
    assertThat(page1.get("total").asLong()).isEqualTo(2);
    assertThat(page1.get("limit").asInt()).isEqualTo(1);
    JsonNode record = page1.get("records").get(0);
    assertThat(record.get("event_id").asText()).isEqualTo("evt-1");
    assertThat(record.get("tenant_id").asText()).isEqualTo("t1");
    assertThat(record.get("project_id").asText()).isEqualTo("p1");
    assertThat(record.get("event_type").asText()).isEqualTo("pageview");
    assertThat(record.get("utm_campaign").asText()).isEqualTo("summer_2025");
    assertThat(record.get("occurred_at").asText()).isEqualTo("2025-01-01T10:00:00Z");
    assertThat(record.at("/payload/url").asText()).isEqualTo("https://example.com");
    assertThat(record.get("user_id").isNull()).isTrue();
    String cursor = page1.get("next_cursor").asText();
    JsonNode page2 = TestServer.json(api.send("GET", "/analytics/query?utm_source=google&limit=1&cursor=" + cursor,
        null, ADMIN_T1));
    assertThat(page2.at("/records/0/user_id").asText()).isEqualTo("u-1");
    assertThat(page2.get("next_cursor").isNull()).isTrue();
    JsonNode ranged = TestServer.json(api.send("GET",
        "/analytics/query?start_time=2025-01-01T11:00:00Z&end_time=2025-01-01T12:00:00Z", null, ADMIN_T1));
    assertThat(ranged.get("total").asLong()).isEqualTo(1);

    JsonNode agg = TestServer.json(api.send("GET", "/analytics/aggregate?metric=pageviews&group_by=utm_source,surface",
        null, ADMIN_T1));
    assertThat(agg.get("metric").asText()).isEqualTo("pageviews");
    assertThat(agg.get("total").asLong()).isEqualTo(3);
    assertThat(agg.at("/groups/utm_source=google|surface=homepage").asLong()).isEqualTo(2);
    assertThat(agg.at("/groups/utm_source=facebook|surface=homepage").asLong()).isEqualTo(1);
    assertThat(agg.at("/rows/0/key/utm_source").asText()).isEqualTo("facebook");
    JsonNode bucketed = TestServer.json(api.send("GET", "/analytics/aggregate?metric=events&bucket=day", null,
        ADMIN_T1));
    assertThat(bucketed.at("/groups/bucket=2025-01-01T00:00:00Z").asLong()).isEqualTo(3);
    JsonNode all = TestServer.json(api.send("GET", "/analytics/aggregate?metric=events", null, ADMIN_T1));
    assertThat(all.at("/groups/all").asLong()).isEqualTo(3);

    assertThat(api.send("DELETE", "/analytics/event/evt-1", null, ADMIN_T1).statusCode()).isEqualTo(204);
    assertError(api.send("DELETE", "/analytics/event/evt-1", null, ADMIN_T1), 404, "analytics_event.not_found");
    JsonNode erased = TestServer.json(api.send("DELETE", "/analytics/users/u-1", null, ADMIN_T1));
    assertThat(erased.get("deleted").asLong()).isEqualTo(1);
    assertThat(api.store.size()).isEqualTo(1);
    assertThat(api.lastAudit().action()).isEqualTo("analytics.delete_by_user");
  }

  @Test
  void clientSuppliedEventIdIsKept() {
    api.withPostgresRoute("t1");
    HttpResponse<String> r = ingest(PAGEVIEW.replace("{", "{\"event_id\": \"client-42\", "), ADMIN_T1);
    assertThat(TestServer.json(r).get("event_id").asText()).isEqualTo("client-42");
  }

  @ParameterizedTest
  @ValueSource(strings = {"saas", "enterprise", "system"})
  void missingRouteIs503WithTheAppendixBody(String mode) throws Exception {
    Map<String, String> headers = with(actor("ops", "admin", "t_system"),
        "X-Tenant-ID", "t_system", "X-Mode", mode, "X-Project-ID", "p1");
    for (HttpResponse<String> response : new HttpResponse[] {ingest(PAGEVIEW, headers),
        api.send("GET", "/analytics/query", null, headers),
        api.send("GET", "/analytics/aggregate?metric=events", null, headers),
        api.send("DELETE", "/analytics/event/e-1", null, headers)}) {
      JsonNode body = assertError(response, 503, "analytics_store.missing_route");
      assertThat(body.get("message").asText()).isEqualTo("No analytics_store route configured for tenant=t_system,"
          + " env=staging, mode=" + mode + ". Configure via /routing/routes with backend_type"
          + " (firestore|dynamodb|cosmos|postgres).");
    }
    assertThat(api.store.size()).isZero();
    String metrics = api.http.get("/metrics").body();
    assertThat(metrics).contains("routing_analytics_store_missing_route 4")
        .contains("analytics_ingest_requests_total{status=\"503\"} 1");
  }

  @Test
  void labModeWithoutRouteWarnsAndStoresNothing() {
    Map<String, String> lab = with(ADMIN_T1, "X-Mode", "lab");
    HttpResponse<String> r = ingest(PAGEVIEW, lab);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = TestServer.json(r);
    assertThat(body.get("event_id").asText()).isNotBlank();
    assertThat(body.get("stored").asBoolean(true)).isFalse();
    assertThat(body.get("warning").asText()).contains("mode=lab", "not stored");
    assertThat(api.store.size()).isZero();
    JsonNode query = TestServer.json(api.send("GET", "/analytics/query", null, lab));
    assertThat(query.get("records")).isEmpty();
    assertThat(query.get("warning").asText()).contains("mode=lab");
    JsonNode deleted = TestServer.json(api.send("DELETE", "/analytics/event/e-1", null, lab));
    assertThat(deleted.get("deleted").asBoolean(true)).isFalse();
    assertThat(deleted.has("warning")).isTrue();
  }

  @Test
  void labModeWithRouteStoresNormally() {
    api.withPostgresRoute("t1");
    JsonNode body = TestServer.json(ingest(PAGEVIEW, with(ADMIN_T1, "X-Mode", "LAB")));
    assertThat(body.has("warning")).isFalse();
    assertThat(api.store.size()).isEqualTo(1);
  }

  @Test
  void headersAreRequiredAndChecked() {
    api.withPostgresRoute("t1");
    Map<String, String> noMode = new java.util.HashMap<>(ADMIN_T1);
    noMode.remove("X-Mode");
    assertError(ingest(PAGEVIEW, noMode), 400, "request.invalid_mode");
    assertError(ingest(PAGEVIEW, with(ADMIN_T1, "X-Mode", "prod")), 400, "request.invalid_mode");
    assertError(api.send("GET", "/analytics/query", null, noMode), 400, "request.invalid_mode");
    Map<String, String> noTenant = new java.util.HashMap<>(ADMIN_T1);
    noTenant.remove("X-Tenant-ID");
    assertError(ingest(PAGEVIEW, noTenant), 400, "request.missing_tenant");
    assertError(api.send("GET", "/analytics/aggregate?metric=events", null, noTenant), 400, "request.missing_tenant");
    Map<String, String> noProject = new java.util.HashMap<>(ADMIN_T1);
    noProject.remove("X-Project-ID");
    assertError(ingest(PAGEVIEW, noProject), 400, "request.missing_project");
    assertThat(ingest(PAGEVIEW.replace("{", "{\"project_id\": \"p9\", "), noProject).statusCode()).isEqualTo(200);
    assertError(ingest(PAGEVIEW.replace("{", "{\"tenant_id\": \"t2\", "), ADMIN_T1), 400, "request.tenant_mismatch");
    assertError(ingest(PAGEVIEW, with(ADMIN_T1, "X-Tenant-ID", "x".repeat(129))), 400, "request.invalid_tenant");
  }

  @Test
  void adminOfAnotherTenantIsDeniedAndTheDenialIsAudited() {
    api.withPostgresRoute("t1");
    Map<String, String> otherAdmin = with(actor("mallory", "admin", "t2"),
        "X-Tenant-ID", "t1", "X-Mode", "saas", "X-Project-ID", "p1");
    assertError(ingest(PAGEVIEW, otherAdmin), 403, "auth.cross_org");
    AuditRecord denial = api.lastAudit();
    assertThat(denial.actorSubject()).isEqualTo("mallory");
    assertThat(denial.decision()).isEqualTo(AuditEntry.DENY);
    assertThat(denial.scope()).isEqualTo("tenant:t1");
    assertThat(denial.action()).isEqualTo("analytics.ingest");
    assertError(api.send("GET", "/analytics/query", null, otherAdmin), 403, "auth.cross_org");
    assertError(api.send("DELETE", "/analytics/users/u-1", null, otherAdmin), 403, "auth.cross_org");
    assertThat(api.store.size()).isZero();
  }

  @Test
  void rolesAndOrgScopeAreEnforced() {
    api.withPostgresRoute("t1");
    Map<String, String> viewer = with(ADMIN_T1, "X-Actor-Roles", "viewer");
    assertError(ingest(PAGEVIEW, viewer), 403, "auth.forbidden");
    assertThat(api.send("GET", "/analytics/query", null, viewer).statusCode()).isEqualTo(200);
    assertError(api.send("DELETE", "/analytics/event/e-1", null, viewer), 403, "auth.forbidden");
    Map<String, String> unscoped = new java.util.HashMap<>(ADMIN_T1);
    unscoped.remove("X-Actor-Orgs");
    JsonNode body = assertError(ingest(PAGEVIEW, unscoped), 403, "auth.no_org_scope");
    assertThat(body.get("message").asText()).contains("X-Actor-Orgs");
    Map<String, String> anonymous = new java.util.HashMap<>(ADMIN_T1);
    anonymous.remove("X-Actor-Subject");
    assertError(ingest(PAGEVIEW, anonymous), 401, "auth.unauthenticated");
    Map<String, String> operator = with(ADMIN_T1, "X-Actor-Orgs", "*");
    assertThat(ingest(PAGEVIEW, operator).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedInputsGetTheirOwn4xxCodes() {
    api.withPostgresRoute("t1");
    assertError(ingest("{\"event_type\": ", ADMIN_T1), 400, "request.malformed_json");
    assertError(ingest("[1, 2]", ADMIN_T1), 400, "request.malformed_json");
    assertError(ingest("", ADMIN_T1), 400, "request.malformed_json");
    assertError(ingest("{\"event_type\": 5}", ADMIN_T1), 422, "request.invalid_type");
    assertError(ingest("{\"event_type\": \"pageview\", \"payload\": [1]}", ADMIN_T1), 422, "request.invalid_type");
    assertError(ingest("{\"payload\": {}}", ADMIN_T1), 422, "analytics_event.invalid_event_type");
    assertError(ingest("{\"event_type\": \"page view!\"}", ADMIN_T1), 422, "analytics_event.invalid_event_type");
    assertError(ingest("{\"event_type\": \"pageview\", \"occurred_at\": \"yesterday\"}", ADMIN_T1), 400,
        "request.invalid_time");
    assertError(ingest("{\"event_type\": \"pageview\", \"payload\": {\"a\": null}}", ADMIN_T1), 422,
        "analytics_event.invalid_payload");
    assertError(ingest("{\"event_type\": \"pageview\", \"utm_source\": \"\"}", ADMIN_T1), 422,
        "analytics_event.invalid_attribution");
    assertError(ingest("{\"event_type\": \"pageview\", \"payload\": " + "{\"a\":".repeat(20) + "1"
        + "}".repeat(20) + "}", ADMIN_T1), 422, "analytics_event.invalid_payload");
    assertError(api.send("GET", "/analytics/query?limit=0", null, ADMIN_T1), 400, "request.invalid_limit");
    assertError(api.send("GET", "/analytics/query?limit=abc", null, ADMIN_T1), 400, "request.invalid_limit");
    assertError(api.send("GET", "/analytics/query?start_time=2025-01-01", null, ADMIN_T1), 400, "request.invalid_time");
    assertError(api.send("GET", "/analytics/query?start_time=2025-01-02T00:00:00Z&end_time=2025-01-01T00:00:00Z",
        null, ADMIN_T1), 422, "analytics_query.invalid_time_range");
    assertError(api.send("GET", "/analytics/query?cursor=%25%25%25", null, ADMIN_T1), 422,
        "analytics_query.invalid_cursor");
    assertError(api.send("GET", "/analytics/aggregate", null, ADMIN_T1), 400, "request.missing_parameter");
    assertError(api.send("GET", "/analytics/aggregate?metric=DROP%20TABLE", null, ADMIN_T1), 422,
        "analytics_aggregate.invalid_metric");
    assertError(api.send("GET", "/analytics/aggregate?metric=events&group_by=password", null, ADMIN_T1), 422,
        "analytics_aggregate.invalid_group_by");
    assertError(api.send("GET", "/analytics/aggregate?metric=events&group_by=user_id", null, ADMIN_T1), 422,
        "analytics_aggregate.invalid_group_by");
    assertError(api.send("GET", "/analytics/aggregate?metric=events&bucket=week", null, ADMIN_T1), 422,
        "analytics_aggregate.invalid_bucket");
    assertError(api.send("DELETE", "/analytics/event/%09", null, ADMIN_T1), 400, "request.invalid_path_param");
    assertThat(api.store.size()).isZero();
  }
}
