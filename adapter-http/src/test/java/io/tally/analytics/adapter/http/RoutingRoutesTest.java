package io.tally.analytics.adapter.http;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static io.tally.analytics.adapter.http.HttpServerTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.audit.AuditEntry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutingRoutesTest {
  static final String DYNAMO = """
      {"resource_kind": "analytics_store", "tenant_id": "t_system", "env": "staging",
       "backend_type": "dynamodb",
       "config": {"region": "us-east-1", "table_name": "analytics-store-staging", "use_local": false},
       "required": true}""";
  static final String COSMOS = """
      {"resource_kind": "analytics_store", "tenant_id": "t_system", "env": "prod", "backend_type": "cosmos",
       "config": {"endpoint": "https://localhost:8081", "key": "c2VjcmV0LWtleQ==", "database_id": "a",
                  "container_id": "events"}}""";
  static final Map<String, String> ADMIN = with(actor("ops", "admin", "t_system"),
      "X-Tenant-ID", "t_system", "X-Mode", "system", "X-Project-ID", "p1");

  final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  HttpResponse<String> create(String body, Map<String, String> headers) {
    return api.send("POST", "/routing/routes", body, headers);
  }

  @Test
  void registerListAndDeleteARoute() {
    HttpResponse<String> created = create(DYNAMO, ADMIN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode route = TestServer.json(created);
    assertThat(route.get("route_id").asText()).isEqualTo("route-1");
    assertThat(route.get("backend_type").asText()).isEqualTo("dynamodb");
    assertThat(route.at("/config/use_local").asText()).isEqualTo("false");
    assertThat(route.at("/config/table_name").asText()).isEqualTo("analytics-store-staging");
    assertThat(route.get("required").asBoolean()).isTrue();
    assertThat(route.get("created_at").asText()).isEqualTo("2025-11-08T00:00:00Z");
    assertThat(api.registry.lookup("analytics_store", "t_system", "staging")).isPresent();

    JsonNode list = TestServer.json(api.send("GET", "/routing/routes?resource_kind=analytics_store", null, ADMIN));
    assertThat(list.get("routes")).hasSize(1);
    assertThat(list.at("/routes/0/route_id").asText()).isEqualTo("route-1");

    assertThat(api.send("DELETE", "/routing/routes/route-1", null, ADMIN).statusCode()).isEqualTo(204);
    assertError(api.send("DELETE", "/routing/routes/route-1", null, ADMIN), 404, "routing.not_found");
    assertThat(api.registry.lookup("analytics_store", "t_system", "staging")).isEmpty();
  }

  @Test
  void secretsAreNeverEchoed() {
    HttpResponse<String> created = create(COSMOS, ADMIN);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("c2VjcmV0LWtleQ==").contains("\"key\":\"***\"");
    HttpResponse<String> listed = api.send("GET", "/routing/routes", null, ADMIN);
    assertThat(listed.body()).doesNotContain("c2VjcmV0LWtleQ==").contains("***");
  }

  @Test
  void aRegisteredRouteServesTheEventStore() {
    create(DYNAMO.replace("dynamodb", "postgres").replaceAll("\"config\": \\{[^}]*},", ""), ADMIN);
    HttpResponse<String> ingest = api.send("POST", "/analytics/ingest", AnalyticsEventRoutesTest.PAGEVIEW, ADMIN);
    assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
    assertThat(api.store.size()).isEqualTo(1);
  }

  @Test
  void onlyPlatformOperatorsListEveryTenant() {
    create(DYNAMO, ADMIN);
    create(DYNAMO.replace("t_system", "t2"), with(ADMIN, "X-Actor-Orgs", "t2", "X-Tenant-ID", "t2"));
    Map<String, String> noTenant = new java.util.HashMap<>(ADMIN);
    noTenant.remove("X-Tenant-ID");
    assertError(api.send("GET", "/routing/routes", null, noTenant), 403, "auth.cross_org");
    JsonNode all = TestServer.json(api.send("GET", "/routing/routes", null, with(noTenant, "X-Actor-Orgs", "*")));
    assertThat(all.get("routes")).hasSize(2);
  }

  @Test
  void adminOfAnotherTenantCannotTouchRoutes() {
    create(DYNAMO, ADMIN);
    Map<String, String> other = with(ADMIN, "X-Actor-Subject", "mallory", "X-Actor-Orgs", "t2");
    assertError(create(DYNAMO, other), 403, "auth.cross_org");
    assertThat(api.lastAudit().decision()).isEqualTo(AuditEntry.DENY);
    assertThat(api.lastAudit().actorSubject()).isEqualTo("mallory");
    assertError(api.send("GET", "/routing/routes", null, other), 403, "auth.cross_org");
    assertError(api.send("DELETE", "/routing/routes/route-1", null, other), 403, "auth.cross_org");
    // Even with its own tenant header, a tenant admin cannot delete another tenant's route by id.
    assertError(api.send("DELETE", "/routing/routes/route-1", null, with(other, "X-Tenant-ID", "t2")), 404,
        "routing.not_found");
    assertError(create(DYNAMO, with(ADMIN, "X-Actor-Roles", "viewer")), 403, "auth.forbidden");
    assertThat(api.registry.list("analytics_store", java.util.Optional.empty())).hasSize(1);
  }

  @Test
  void malformedRegistrationsGetTheirOwn4xxCodes() {
    assertError(create("{", ADMIN), 400, "request.malformed_json");
    assertError(create(DYNAMO.replace("\"backend_type\": \"dynamodb\"", "\"backend_type\": \"mongodb\""), ADMIN),
        422, "route.invalid_backend_type");
    assertError(create(DYNAMO.replace("analytics_store", "secrets_store"), ADMIN), 422,
        "route.invalid_resource_kind");
    assertError(create(DYNAMO.replace("\"table_name\": \"analytics-store-staging\",", ""), ADMIN), 400,
        "route.invalid_config");
    assertError(create(DYNAMO.replace("\"use_local\": false", "\"use_local\": \"maybe\""), ADMIN), 400,
        "route.invalid_config");
    assertError(create(DYNAMO.replace("\"use_local\": false", "\"nested\": {\"a\": 1}"), ADMIN), 400,
        "route.invalid_config");
    assertError(create(DYNAMO.replace("\"us-east-1\"", "\"Mars\""), ADMIN), 400, "route.invalid_config");
    assertThat(api.send("POST", "/routing/routes", DYNAMO.replace("\"use_local\": false", "\"ttl_days\": 0"),
        ADMIN).body()).contains("config.ttl_days");
    assertError(create(DYNAMO.replace("\"env\": \"staging\",", ""), ADMIN), 422, "route.invalid");
    assertError(create(DYNAMO.replace("\"required\": true", "\"required\": \"yes\""), ADMIN), 422,
        "request.invalid_type");
    assertError(create(DYNAMO, with(ADMIN, "X-Tenant-ID", "t2")), 400, "request.tenant_mismatch");
    assertError(api.send("GET", "/routing/routes?resource_kind=queue", null, ADMIN), 422,
        "route.invalid_resource_kind");
    Map<String, String> noTenant = new java.util.HashMap<>(ADMIN);
    noTenant.remove("X-Tenant-ID");
    assertError(api.send("DELETE", "/routing/routes/route-1", null, noTenant), 400, "request.missing_tenant");
    assertThat(api.registry.list("analytics_store", java.util.Optional.empty())).isEmpty();
  }
}
