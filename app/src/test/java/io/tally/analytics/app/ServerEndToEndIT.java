package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.app.RunningTally.json;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real server ({@code tally serve}) on a free port over the embedded PostgreSQL in a temporary
 * {@code DATA_DIR}: every wired route over HTTP, with the authorization and validation failures a client can
 * cause. Each test uses its own tenant or org so the shared server carries no state between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerEndToEndIT {
  static final String ENV = "development";
  static final String PAGEVIEW = """
      {"event_type": "pageview", "payload": {"url": "https://example.com"},
       "utm_source": "google", "utm_campaign": "summer_2025",
       "app": "northstar_ui", "surface": "homepage", "platform": "web",
       "occurred_at": "2025-01-01T10:00:00Z"}""";
  static final String ORG_A = "00000000-0000-0000-0000-00000000000a";
  static final String ORG_B = "00000000-0000-0000-0000-00000000000b";
  static final String WEEK = """
      {"timeRange": {"start": "2025-11-01T00:00:00Z", "end": "2025-11-07T23:59:59Z"}, "granularity": "daily"}""";

  Path dataDir;
  RunningTally tally;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("tally-e2e-");
    // An API-only instance: these tests read a job as the API left it ("pending", download 409), and a worker tick
    // right after the create made the job "running" before the read (seen once in a full run). The worker itself
    // is tested by ExportsOverHttpIT, ExportTourIT and ExportCrashIT.
    tally = RunningTally.embedded(dataDir, Map.of("EXPORT_WORKER_CONCURRENCY", "0"));
  }

  @AfterAll
  void stop() {
    if (tally != null) {
      tally.close();
    }
  }

  static Map<String, String> tenantAdmin(String tenant, String mode) {
    return with(actor("admin-" + tenant, "admin", tenant), "X-Tenant-ID", tenant, "X-Mode", mode,
        "X-Project-ID", "p1");
  }

  static JsonNode assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = json(r);
    assertThat(body.get("error_code").asText()).as(r.body()).isEqualTo(code);
    assertThat(body.get("status_code").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception", "\tat ");
    return body;
  }

  String postgresRoute(String tenant) {
    return """
        {"resource_kind": "analytics_store", "tenant_id": "%s", "env": "%s", "backend_type": "postgres",
         "config": {}, "required": true}""".formatted(tenant, ENV);
  }

  HttpResponse<String> createRoute(String tenant, String body) {
    return tally.send("POST", "/routing/routes", body, tenantAdmin(tenant, "system"));
  }

  @Test
  void serveUsesTheEmbeddedDatabaseUnderDataDirAndPrintsTheUrlAndACurl() {
    assertThat(tally.baseUrl).startsWith("http://127.0.0.1:");
    assertThat(tally.printed).contains("Tally is listening on " + tally.baseUrl)
        .contains("embedded PostgreSQL")
        .contains("curl -s " + tally.baseUrl + "/analytics/v1/status/healthz");
    assertThat(dataDir.resolve("postgres")).isDirectory();
    assertThat(tally.app.services().database().isEmbedded()).isTrue();
  }

  @Test
  void healthReadinessAndMetrics() {
    assertThat(tally.get("/analytics/v1/status/healthz", Map.of()).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = tally.get("/analytics/v1/status/readyz", Map.of());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("database");
    tally.get("/analytics/v1/status/healthz", Map.of());
    HttpResponse<String> metrics = tally.get("/metrics", Map.of());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("http_requests_total");
    assertThat(metrics.body()).as("exists from start, at zero").contains("analytics_rollup_failed_hours 0.0");
    assertThat(json(ready).at("/components/rollup/status").asText()).isEqualTo("up");
    assertThat(json(ready).at("/components/rollup/quarantinedHours").asLong()).isZero();
  }

  @Test
  void everyRegisteredRouteIsInTheOpenApiDocumentAndEveryDocumentedOneIsRegistered() {
    HttpResponse<String> r = tally.get("/openapi.json", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    Set<String> documented = new TreeSet<>();
    json(r).get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
        method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    Set<String> registered = new TreeSet<>(tally.app.server().registeredRoutes());
    assertThat(documented).containsAll(registered);
    assertThat(registered).containsAll(documented);
  }

  @Test
  void routesRegisterListAndDelete() {
    HttpResponse<String> created = createRoute("t-routes", postgresRoute("t-routes"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String routeId = json(created).get("route_id").asText();
    JsonNode list = json(tally.get("/routing/routes?resource_kind=analytics_store",
        tenantAdmin("t-routes", "system")));
    assertThat(list.get("routes")).hasSize(1);
    assertThat(list.get("routes").get(0).get("backend_type").asText()).isEqualTo("postgres");
    Map<String, String> otherAdmin = with(actor("mallory", "admin", "t-other"), "X-Tenant-ID", "t-routes",
        "X-Mode", "system");
    assertError(tally.send("DELETE", "/routing/routes/" + routeId, null, otherAdmin), 403, "auth.cross_org");
    assertError(tally.get("/routing/routes", otherAdmin), 403, "auth.cross_org");
    assertThat(tally.send("DELETE", "/routing/routes/" + routeId, null, tenantAdmin("t-routes", "system"))
        .statusCode()).isEqualTo(204);
    assertError(tally.send("DELETE", "/routing/routes/" + routeId, null, tenantAdmin("t-routes", "system")), 404,
        "routing.not_found");
  }

  @Test
  void secretsInARouteConfigAreNotEchoed() {
    String cosmos = """
        {"resource_kind": "analytics_store", "tenant_id": "t-secret", "env": "%s", "backend_type": "cosmos",
         "config": {"endpoint": "https://localhost:9", "key": "c2VjcmV0LWtleQ==", "database_id": "a",
                    "container_id": "events"}}""".formatted(ENV);
    HttpResponse<String> created = createRoute("t-secret", cosmos);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("c2VjcmV0LWtleQ==");
    assertThat(tally.get("/routing/routes", tenantAdmin("t-secret", "system")).body())
        .doesNotContain("c2VjcmV0LWtleQ==");
    // A route whose backend cannot be reached is a retryable 503, never a silent fallback.
    assertError(tally.send("POST", "/analytics/ingest", PAGEVIEW, tenantAdmin("t-secret", "saas")), 503,
        "analytics_store.backend_error");
  }

  @Test
  void analyticsEventsRoundTripThroughAPostgresRoute() {
    assertThat(createRoute("t-an01", postgresRoute("t-an01")).statusCode()).isEqualTo(201);
    Map<String, String> admin = tenantAdmin("t-an01", "saas");
    HttpResponse<String> first = tally.send("POST", "/analytics/ingest", PAGEVIEW, admin);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String eventId = json(first).get("event_id").asText();
    tally.send("POST", "/analytics/ingest", PAGEVIEW.replace("google", "facebook"), admin);
    JsonNode query = json(tally.get("/analytics/query?utm_source=google&limit=10", admin));
    assertThat(query.get("total").asLong()).isEqualTo(1);
    assertThat(query.get("records").get(0).get("event_id").asText()).isEqualTo(eventId);
    assertThat(query.get("records").get(0).get("tenant_id").asText()).isEqualTo("t-an01");
    JsonNode agg = json(tally.get("/analytics/aggregate?metric=pageviews&group_by=utm_source", admin));
    assertThat(agg.get("total").asLong()).isEqualTo(2);
    assertThat(tally.send("DELETE", "/analytics/event/" + eventId, null, admin).statusCode()).isEqualTo(204);
    assertError(tally.send("DELETE", "/analytics/event/" + eventId, null, admin), 404, "analytics_event.not_found");
    assertThat(json(tally.get("/analytics/query", admin)).get("total").asLong()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"saas", "enterprise", "system"})
  void withoutARouteEveryModeButLabAnswers503(String mode) {
    Map<String, String> headers = tenantAdmin("t-noroute-" + mode, mode);
    for (HttpResponse<String> r : List.of(
        tally.send("POST", "/analytics/ingest", PAGEVIEW, headers),
        tally.get("/analytics/query", headers),
        tally.get("/analytics/aggregate?metric=events", headers),
        tally.send("DELETE", "/analytics/event/e-1", null, headers))) {
      JsonNode body = assertError(r, 503, "analytics_store.missing_route");
      assertThat(body.get("message").asText()).contains("tenant=t-noroute-" + mode, "env=" + ENV, "mode=" + mode);
    }
  }

  @Test
  void labModeWarnsAndStoresNothing() {
    Map<String, String> lab = tenantAdmin("t-lab", "lab");
    HttpResponse<String> r = tally.send("POST", "/analytics/ingest", PAGEVIEW, lab);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("warning").asText()).contains("mode=lab");
    assertThat(json(r).get("stored").asBoolean(true)).isFalse();
    JsonNode query = json(tally.get("/analytics/query", lab));
    assertThat(query.get("records")).isEmpty();
    assertThat(query.get("warning").asText()).contains("mode=lab");
  }

  @Test
  void rbacDenialsAreStableCodesAndAudited() {
    assertThat(createRoute("t-rbac", postgresRoute("t-rbac")).statusCode()).isEqualTo(201);
    long auditBefore = tally.app.services().auditLog().head().sequence();
    // A valid admin of another tenant.
    Map<String, String> otherAdmin = with(actor("mallory", "admin", "t-evil"), "X-Tenant-ID", "t-rbac",
        "X-Mode", "saas", "X-Project-ID", "p1");
    assertError(tally.get("/analytics/query", otherAdmin), 403, "auth.cross_org");
    assertError(tally.send("POST", "/analytics/ingest", PAGEVIEW, otherAdmin), 403, "auth.cross_org");
    // A viewer may read but not delete.
    Map<String, String> viewer = with(actor("vic", "viewer", "t-rbac"), "X-Tenant-ID", "t-rbac", "X-Mode", "saas",
        "X-Project-ID", "p1");
    assertThat(tally.get("/analytics/query", viewer).statusCode()).isEqualTo(200);
    assertError(tally.send("DELETE", "/analytics/event/e-1", null, viewer), 403, "auth.forbidden");
    // No org scope at all names the header.
    JsonNode noScope = assertError(tally.send("POST", "/analytics/v1/orgs/" + ORG_A + "/exports", WEEK,
        actor("alice", "admin", null)), 403, "auth.no_org_scope");
    assertThat(noScope.get("message").asText()).contains("X-Actor-Orgs");
    // No identity at all.
    assertThat(tally.get("/analytics/v1/orgs/" + ORG_A + "/exports", Map.of()).statusCode()).isEqualTo(401);
    assertThat(tally.app.services().auditLog().head().sequence()).isGreaterThanOrEqualTo(auditBefore + 4);
    assertThat(tally.app.services().auditLog().verify()).isEmpty();
  }

  @Test
  void exportJobsAreCreatedListedAndReadPerOrg() {
    Map<String, String> adminA = actor("alice", "admin", ORG_A);
    String base = "/analytics/v1/orgs/" + ORG_A + "/exports";
    HttpResponse<String> created = tally.send("POST", base, WEEK, adminA);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = json(created).get("jobId").asText();
    JsonNode job = json(tally.get(base + "/" + jobId, adminA));
    assertThat(job.get("status").asText()).isEqualTo("pending");
    assertThat(json(tally.get(base + "?limit=10", adminA)).toString()).contains(jobId);
    assertError(tally.get(base + "/" + jobId + "/download", adminA), 409, "export.not_ready");
    assertError(tally.get(base + "/no-such-job", adminA), 404, "export.not_found");
    Map<String, String> adminB = actor("bob", "admin", ORG_B);
    for (HttpResponse<String> denied : List.of(tally.send("POST", base, WEEK, adminB), tally.get(base, adminB),
        tally.get(base + "/" + jobId, adminB), tally.get(base + "/" + jobId + "/download", adminB))) {
      assertError(denied, 403, "auth.cross_org");
    }
  }

  @Test
  void malformedInputsGetTheirOwn4xxCodes() {
    assertThat(createRoute("t-bad", postgresRoute("t-bad")).statusCode()).isEqualTo(201);
    Map<String, String> admin = tenantAdmin("t-bad", "saas");
    Map<String, String> adminA = actor("alice", "admin", ORG_A);
    String exports = "/analytics/v1/orgs/" + ORG_A + "/exports";
    assertError(tally.send("POST", "/analytics/ingest", "{\"event_type\": ", admin), 400, "request.malformed_json");
    assertError(tally.send("POST", "/analytics/ingest", PAGEVIEW, with(admin, "X-Mode", "prod")), 400,
        "request.invalid_mode");
    assertError(tally.get("/analytics/query?limit=abc", admin), 400, "request.invalid_limit");
    assertError(tally.get("/analytics/query?start_time=2025-01-01", admin), 400, "request.invalid_time");
    assertError(tally.get("/analytics/aggregate", admin), 400, "request.missing_parameter");
    assertError(tally.get("/analytics/aggregate?metric=DROP%20TABLE", admin), 422,
        json(tally.get("/analytics/aggregate?metric=DROP%20TABLE", admin)).get("error_code").asText());
    assertError(tally.send("DELETE", "/analytics/event/%09", null, admin), 400, "request.invalid_path_param");
    assertError(tally.send("POST", exports, "{\"timeRange\": ", adminA), 400, "request.malformed_json");
    assertError(tally.send("POST", exports, "{}", adminA), 422, "export.invalid_request");
    assertError(tally.send("POST", exports, "{\"timeRange\": \"last week\"}", adminA), 422, "request.invalid_type");
    assertError(tally.send("POST", exports, WEEK.replace("daily", "weekly"), adminA), 400,
        "request.invalid_granularity");
    assertError(tally.send("POST", "/analytics/v1/orgs/not-a-uuid/exports", WEEK, adminA), 400,
        "request.invalid_path_param");
    assertError(tally.get(exports + "?limit=101", adminA), 400, "request.invalid_limit");
    assertError(tally.get("/routing/routes?resource_kind=queue", tenantAdmin("t-bad", "system")), 422,
        json(tally.get("/routing/routes?resource_kind=queue", tenantAdmin("t-bad", "system"))).get("error_code")
            .asText());
    String huge = "{\"event_type\": \"pageview\", \"payload\": {\"blob\": \"" + "x".repeat(6 << 20) + "\"}}";
    assertError(tally.send("POST", "/analytics/ingest", huge, admin), 413, "request.too_large");
  }

  @Test
  void usageEventsAreIngestedRolledUpAndReadBackPerOrg() {
    String org = "00000000-0000-0000-0000-0000000000c1";
    String event = """
        {"eventId": "%s", "orgId": "%s", "occurredAt": "2026-10-01T10:15:30.123Z", "modelId": "llama-3-70b",
         "apiKeyId": "key_12", "inputTokens": 812, "outputTokens": 230, "costMicros": 1840, "latencyMs": %d,
         "status": "%s"}""";
    String batch = "{\"events\": [" + String.join(",",
        event.formatted("e-1", org, 900, "success"),
        event.formatted("e-2", org, 1200, "error").replace("\"status\"", "\"errorCode\": \"upstream_timeout\", \"status\""),
        event.formatted("e-1", org, 900, "success"),
        event.formatted("e-1", org, 999, "success"),
        event.formatted("e-3", org, 900, "success").replace("812", "-5")) + "]}";
    Map<String, String> ingestor = actor("ingest-svc", "ingestor", org);
    HttpResponse<String> posted = tally.send("POST", "/analytics/v1/events", batch, ingestor);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    JsonNode report = json(posted);
    assertThat(report.get("accepted").asLong()).isEqualTo(2);
    assertThat(report.get("duplicates").asLong()).isEqualTo(1);
    assertThat(report.get("conflicts").asLong()).isEqualTo(1);
    assertThat(report.get("rejected").asLong()).isEqualTo(1);
    RollupDrain.drain(tally.app.services().rollup());

    Map<String, String> viewer = actor("vera", "viewer", org);
    String range = "?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z&granularity=daily";
    JsonNode usage = json(tally.get("/analytics/v1/orgs/" + org + "/usage" + range, viewer));
    assertThat(usage.at("/totals/requests").asLong()).isEqualTo(2);
    assertThat(usage.at("/totals/errors").asLong()).isEqualTo(1);
    assertThat(usage.at("/totals/inputTokens").asLong()).isEqualTo(1624);
    assertThat(usage.at("/totals/costMicros").asLong()).isEqualTo(3680);
    assertThat(usage.at("/series/0/modelId").asText()).isEqualTo("llama-3-70b");
    assertThat(usage.at("/freshness/status").asText()).isIn("fresh", "stale");
    JsonNode reliability = json(tally.get("/analytics/v1/orgs/" + org + "/reliability" + range
        + "&percentiles=50,99", viewer));
    assertThat(reliability.at("/series/0/errorRate").asDouble()).isEqualTo(0.5);
    assertThat(reliability.get("percentileMethod").asText()).isEqualTo("sketch");
    assertThat(reliability.at("/series/0/latencyMs/p99").asDouble()).isBetween(900 * 0.99, 1200 * 1.01);

    String other = "00000000-0000-0000-0000-0000000000c2";
    assertError(tally.get("/analytics/v1/orgs/" + org + "/usage" + range, actor("bob", "admin", other)), 403,
        "auth.cross_org");
    assertError(tally.get("/analytics/v1/orgs/" + org + "/reliability" + range, actor("bob", "admin", other)),
        403, "auth.cross_org");
    assertError(tally.send("POST", "/analytics/v1/events", batch, actor("bob", "admin", other)), 403,
        "auth.cross_org");
    assertError(tally.send("POST", "/analytics/v1/events", batch, viewer), 403, "auth.forbidden");
    assertError(tally.get("/analytics/v1/orgs/" + org + "/usage" + range.replace("daily", "weekly"), viewer), 400,
        "request.invalid_granularity");
    assertError(tally.get("/analytics/v1/orgs/" + org + "/usage?start=2026-10-03T00:00:00Z&end=2026-10-01T00:00:00Z",
        viewer), 400, "request.invalid_range");
    assertError(tally.get("/analytics/v1/orgs/" + org + "/reliability" + range + "&percentiles=101", viewer), 400,
        "request.invalid_percentiles");
    assertError(tally.send("POST", "/analytics/v1/events", "{\"events\": []}", ingestor), 400,
        "request.empty_batch");
    assertError(tally.send("POST", "/analytics/v1/events", "{\"events\": [", ingestor), 400,
        "request.malformed_json");
    assertThat(tally.get("/metrics", Map.of()).body()).contains("analytics_rollup_last_success_timestamp",
        "analytics_rollup_duration_seconds");
  }
}
