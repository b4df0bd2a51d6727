package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.TallyException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  record Echo(String name, int count) {}

  record Strict(String name) {
    Strict {
      java.util.Objects.requireNonNull(name, "name is required");
    }
  }

  static final long MAX_BODY = 1_024;
  static TestServer http;

  @BeforeAll
  static void start() {
    JsonBodies bodies = new JsonBodies(MAX_BODY);
    List<Route> testRoutes = List.of(
        Route.forActor(POST, "/test/echo", (ctx, actor) -> ctx.json(bodies.read(ctx, Echo.class))),
        Route.forActor(POST, "/test/strict", (ctx, actor) -> ctx.json(bodies.read(ctx, Strict.class))),
        Route.forActor(GET, "/test/whoami", (ctx, actor) -> ctx.json(Map.of(
            "subject", actor.subject(), "roles", actor.roles(), "tenants",
            actor.tenants().stream().map(t -> t.tenantId()).toList(),
            "operator", actor.platformOperator(),
            "fromContext", TallyHttpServer.actor(ctx).orElseThrow().subject()))),
        Route.open(GET, "/test/orgs/{orgId}", ctx -> ctx.result(PathIds.uuid(ctx, "orgId").toString())),
        Route.open(GET, "/test/events/{event_id}", ctx -> ctx.result(PathIds.plain(ctx, "event_id"))),
        Route.open(GET, "/test/boom", ctx -> {
          throw new IllegalStateException("secret internals at com.example.Foo");
        }),
        Route.open(GET, "/test/tally/{kind}/{code}", ctx -> {
          throw new TallyException(TallyException.Kind.valueOf(ctx.pathParam("kind")), ctx.pathParam("code"),
              "explained");
        }));
    http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(), MAX_BODY,
        List.of(), testRoutes);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  static final Map<String, String> ALICE = Map.of("X-Actor-Subject", "alice", "X-Actor-Roles", "admin",
      "X-Actor-Orgs", "org-1,org-2");

  @Test
  void healthzAnswersOkWithAGeneratedRequestId() {
    HttpResponse<String> response = http.get("/analytics/v1/status/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(response).get("status").asText()).isEqualTo("ok");
    assertThat(response.headers().firstValue("X-Request-ID")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
  }

  @Test
  void saneRequestIdIsEchoedInHeaderAndErrorBody() {
    HttpResponse<String> response = http.get("/nope", Map.of("X-Request-ID", "abc-123"));
    assertThat(response.headers().firstValue("X-Request-ID")).hasValue("abc-123");
    assertThat(TestServer.json(response).get("request_id").asText()).isEqualTo("abc-123");
  }

  @Test
  void insaneRequestIdIsReplaced() {
    HttpResponse<String> response = http.get("/analytics/v1/status/healthz", Map.of("X-Request-ID", "a b{}<script>"));
    assertThat(response.headers().firstValue("X-Request-ID")).hasValueSatisfying(
        id -> assertThat(id).isNotEqualTo("a b{}<script>").matches("[0-9a-f-]{36}"));
  }

  @Test
  void unknownRouteIs404WithTheErrorShape() {
    HttpResponse<String> response = http.get("/analytics/v1/nothing-here");
    assertError(response, 404, "route.not_found");
  }

  @Test
  void wrongMethodIs405() {
    HttpResponse<String> response = http.send("DELETE", "/analytics/v1/status/healthz", null, Map.of());
    assertError(response, 405, "request.method_not_allowed");
  }

  @Test
  void malformedJsonIs400() {
    HttpResponse<String> response = http.send("POST", "/test/echo", "{\"name\": \"x\",", ALICE);
    assertError(response, 400, "request.malformed_json");
  }

  @Test
  void trailingGarbageIsMalformed() {
    HttpResponse<String> response = http.send("POST", "/test/echo", "{\"name\":\"x\",\"count\":1} xx", ALICE);
    assertError(response, 400, "request.malformed_json");
  }

  @Test
  void wrongJsonTypeIs422NamingTheField() {
    HttpResponse<String> response = http.send("POST", "/test/echo", "{\"name\":\"x\",\"count\":\"seven\"}", ALICE);
    JsonNode body = assertError(response, 422, "request.invalid_type");
    assertThat(body.get("message").asText()).contains("$.count");
  }

  @Test
  void fieldRefusedByARecordConstructorIs422() {
    JsonNode body = assertError(http.send("POST", "/test/strict", "{}", ALICE), 422, "request.invalid_field");
    assertThat(body.get("message").asText()).contains("name is required");
  }

  @Test
  void jsonNullAndEmptyBodiesAreMalformed() {
    assertError(http.send("POST", "/test/strict", "null", ALICE), 400, "request.malformed_json");
    assertError(http.send("POST", "/test/strict", "", ALICE), 400, "request.malformed_json");
    assertError(http.send("POST", "/test/echo", "[1,2]", ALICE), 400, "request.malformed_json");
  }

  @Test
  void pathIdsAreValidated() {
    String org = "00000000-0000-0000-0000-000000000001";
    assertThat(http.get("/test/orgs/" + org).body()).isEqualTo(org);
    assertError(http.get("/test/orgs/not-a-uuid"), 400, "request.invalid_path_param");
    assertError(http.get("/test/orgs/1-1-1-1-1"), 400, "request.invalid_path_param");
    assertThat(http.get("/test/events/evt_1.a").body()).isEqualTo("evt_1.a");
    assertError(http.get("/test/events/a%20b"), 400, "request.invalid_path_param");
  }

  @Test
  void validJsonIsEchoed() {
    HttpResponse<String> response = http.send("POST", "/test/echo", "{\"name\":\"x\",\"count\":7}", ALICE);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(response).get("count").asInt()).isEqualTo(7);
  }

  @Test
  void oversizeBodyIs413() {
    String big = "{\"name\":\"" + "x".repeat((int) MAX_BODY) + "\",\"count\":1}";
    assertError(http.send("POST", "/test/echo", big, ALICE), 413, "request.too_large");
  }

  @Test
  void oversizeBodyWithoutContentLengthIs413() throws Exception {
    String big = "{\"name\":\"" + "x".repeat((int) MAX_BODY) + "\",\"count\":1}";
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.server.baseUrl() + "/test/echo"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    ALICE.forEach(request::header);
    HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertError(response, 413, "request.too_large");
  }

  @Test
  void unexpectedFailureIsAGeneric500WithoutInternals() {
    HttpResponse<String> response = http.get("/test/boom");
    JsonNode body = assertError(response, 500, ErrorResponses.INTERNAL);
    assertThat(response.body()).doesNotContain("secret", "com.example", "Exception", "at ");
    assertThat(body.get("message").asText()).isEqualTo(ErrorResponses.INTERNAL_MESSAGE);
  }

  @Test
  void tallyExceptionsAreMappedByTheirKind() {
    assertError(http.get("/test/tally/FORBIDDEN/auth.cross_org"), 403, "auth.cross_org");
    assertError(http.get("/test/tally/NOT_FOUND/export.not_found"), 404, "export.not_found");
    assertError(http.get("/test/tally/UNAVAILABLE/analytics_store.missing_route"), 503,
        "analytics_store.missing_route");
    JsonNode unknown = assertError(http.get("/test/tally/FAULT/store.corrupted"), 500, "store.corrupted");
    assertThat(unknown.get("message").asText()).isEqualTo(ErrorResponses.INTERNAL_MESSAGE);
  }

  @Test
  void actorFromTrustedHeadersReachesTheHandler() {
    HttpResponse<String> response = http.get("/test/whoami",
        Map.of("X-Actor-Subject", "op", "X-Actor-Roles", "admin, analytics:usage:read", "X-Actor-Orgs", "*,org-9"));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = TestServer.json(response);
    assertThat(body.get("subject").asText()).isEqualTo("op");
    assertThat(body.get("fromContext").asText()).isEqualTo("op");
    assertThat(body.get("operator").asBoolean()).isTrue();
    assertThat(body.get("tenants")).hasSize(1);
    assertThat(body.get("tenants").get(0).asText()).isEqualTo("org-9");
    assertThat(body.get("roles")).hasSize(2);
  }

  @Test
  void missingSubjectIs401() {
    assertError(http.get("/test/whoami"), 401, "auth.unauthenticated");
  }

  @Test
  void metricsExposeTheHttpMetricNames() {
    http.get("/analytics/v1/status/healthz");
    HttpResponse<String> response = http.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("http_requests_total{method=\"GET\",route=\"/analytics/v1/status/healthz\",status=\"200\"}")
        .contains("http_request_duration_seconds_count{method=\"GET\",route=\"/analytics/v1/status/healthz\"")
        .doesNotContain("http_requests_total_total");
  }

  @Test
  void unmatchedPathsShareOneRouteLabel() {
    http.get("/random/" + java.util.UUID.randomUUID());
    assertThat(http.get("/metrics").body()).contains("route=\"unmatched\",status=\"404\"").doesNotContain("/random/");
  }

  @Test
  void openApiDocumentIsServed() {
    HttpResponse<String> response = http.get("/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(response).get("openapi").asText()).startsWith("3.");
  }

  @Test
  void requestsJettyRejectsItselfGetTheJsonShapeToo() throws Exception {
    assertRaw("GET /%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400, "request.bad_request");
    assertRaw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 414,
        "request.uri_too_long");
    assertRaw("GET /analytics/v1/status/healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
        + "\r\nConnection: close\r\n\r\n", 431, "request.headers_too_large");
  }

  static void assertRaw(String request, int status, String code) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", http.server.port())) {
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 " + status).containsIgnoringCase("content-type: application/json")
          .contains("\"error_code\":\"" + code + "\"").doesNotContain("<html");
    }
  }

  static JsonNode assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = TestServer.json(response);
    assertThat(body.get("error_code").asText()).isEqualTo(code);
    assertThat(body.get("status_code").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.get("request_id").asText()).isEqualTo(response.headers().firstValue("X-Request-ID").orElseThrow());
    return body;
  }
}
