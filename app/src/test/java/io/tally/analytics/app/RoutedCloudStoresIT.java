package io.tally.analytics.app;

import static io.tally.analytics.app.RunningTally.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.cloudstores.Emulators;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The seed's smoke tests 3-5 against each cloud backend through the HTTP API of a real server: route a tenant to
 * the emulator, ingest, query, aggregate, delete one event, erase a user. Plus what a careless operator or a hostile
 * caller meets: a failing backend (required and optional), and no route secret in clear in any response, log line
 * or database column.
 */
class RoutedCloudStoresIT {
  private static final String PROJECT = "tally-" + Emulators.unique();
  @TempDir static Path dataDir;
  private static FreshDatabase db;
  private static RunningTally tally;
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  @BeforeAll
  static void start() {
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    db = new FreshDatabase();
    tally = RunningTally.onDatabase(db.url(), dataDir, Map.of("ENVIRONMENT", "development"));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    tally.close();
    db.close();
    Emulators.resetFirestore(PROJECT);
  }

  private static Map<String, String> headers(String tenant) {
    return Map.of("X-Actor-Subject", "ops", "X-Actor-Roles", "admin", "X-Actor-Orgs", tenant,
        "X-Tenant-ID", tenant, "X-Mode", "saas", "X-Project-ID", "p1", "Content-Type", "application/json");
  }

  private static String route(String tenant, String backend, Map<String, String> config, boolean required) {
    String cfg = config.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + (e.getValue().equals("true")
        ? "true" : "\"" + e.getValue() + "\"")).collect(Collectors.joining(", "));
    return "{\"resource_kind\": \"analytics_store\", \"tenant_id\": \"" + tenant + "\", \"env\": \"development\", "
        + "\"backend_type\": \"" + backend + "\", \"config\": {" + cfg + "}, \"required\": " + required + "}";
  }

  private static HttpResponse<String> send(String method, String path, String body, String tenant) {
    return tally.send(method, path, body, headers(tenant));
  }

  private static void smokeTest(String backend, Map<String, String> config) {
    String t = "t_" + backend + "_" + Emulators.unique();
    HttpResponse<String> created = send("POST", "/routing/routes", route(t, backend, config, true), t);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      String body = "{\"event_id\": \"ev-" + i + "\", \"event_type\": \"pageview\", \"payload\": {\"url\": "
          + "\"https://example.com/" + i + "\"}, \"utm_source\": \"" + (i < 2 ? "google" : "bing") + "\", "
          + "\"surface\": \"homepage\", \"user_id\": \"" + (i == 0 ? "u-erase" : "u-keep") + "\"}";
      HttpResponse<String> ingested = send("POST", "/analytics/ingest", body, t);
      assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(200);
      assertThat(json(ingested).get("event_id").asText()).isEqualTo("ev-" + i);
    }
    JsonNode page = json(send("GET", "/analytics/query?utm_source=google&limit=10", null, t));
    assertThat(page.get("total").asLong()).as(page.toString()).isEqualTo(2);
    assertThat(page.get("records")).extracting(r -> r.get("event_id").asText()).containsExactly("ev-0", "ev-1");
    JsonNode byProject = json(send("GET", "/analytics/query?project_id=p1&limit=1", null, t));
    assertThat(byProject.get("total").asLong()).isEqualTo(3);
    assertThat(byProject.get("next_cursor").asText()).isNotBlank();
    JsonNode agg = json(send("GET", "/analytics/aggregate?metric=pageviews&group_by=utm_source", null, t));
    assertThat(agg.get("total").asLong()).as(agg.toString()).isEqualTo(3);
    assertThat(send("DELETE", "/analytics/event/ev-1", null, t).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", "/analytics/event/ev-1", null, t).statusCode()).isEqualTo(404);
    JsonNode erased = json(send("DELETE", "/analytics/users/u-erase", null, t));
    assertThat(erased.toString()).contains("1");
    JsonNode left = json(send("GET", "/analytics/query", null, t));
    assertThat(left.get("records")).extracting(r -> r.get("event_id").asText()).containsExactly("ev-2");
  }

  @Test
  void dynamodbServesATenantThroughTheApi() {
    smokeTest("dynamodb", Emulators.dynamodb());
  }

  @Test
  void firestoreServesATenantThroughTheApi() {
    smokeTest("firestore", Emulators.firestore(PROJECT));
  }

  @Test
  void cosmosServesATenantThroughTheApi() {
    smokeTest("cosmos", Emulators.cosmos());
  }

  @Test
  void aFailingRequiredBackendIs503RetryableAndAnOptionalOneAnswersLikeLabMode() {
    Map<String, String> dead = new HashMap<>(Emulators.dynamodb());
    dead.put("endpoint_override", "http://127.0.0.1:9");
    String required = "t_dead_" + Emulators.unique();
    assertThat(send("POST", "/routing/routes", route(required, "dynamodb", dead, true), required).statusCode())
        .isEqualTo(201);
    HttpResponse<String> failed = send("POST", "/analytics/ingest", "{\"event_type\": \"pageview\"}", required);
    assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
    assertThat(json(failed).get("error_code").asText()).isEqualTo("analytics_store.backend_error");
    assertThat(failed.headers().firstValue("Retry-After")).contains("5");

    String optional = "t_opt_" + Emulators.unique();
    assertThat(send("POST", "/routing/routes", route(optional, "dynamodb", dead, false), optional).statusCode())
        .isEqualTo(201);
    HttpResponse<String> tolerated = send("POST", "/analytics/ingest", "{\"event_type\": \"pageview\"}", optional);
    assertThat(tolerated.statusCode()).as(tolerated.body()).isEqualTo(200);
    assertThat(json(tolerated).get("stored").asBoolean(true)).isFalse();
    assertThat(json(tolerated).get("warning").asText()).contains("required=false");
    HttpResponse<String> read = send("GET", "/analytics/query", null, optional);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read).get("total").asLong()).isZero();

    String metrics = tally.get("/metrics", Map.of()).body();
    assertThat(metrics).containsPattern("analytics_backend_errors_total\\{backend=\"dynamodb\"[^}]*} [1-9]");
    assertThat(metrics).containsPattern("analytics_lab_events_not_stored_total(\\{[^}]*})? [1-9]");
    assertThat(metrics).contains("analytics_query_requests_total{backend=\"cosmos\"")
        .contains("analytics_ingest_duration_seconds_count{backend=\"firestore\"")
        .contains("analytics_query_duration_seconds_count{backend=\"postgres\"");
  }

  @Test
  void noRouteSecretAppearsInClearInAResponseALogLineOrADatabaseColumn() throws Exception {
    String t = "t_secret_" + Emulators.unique();
    String cosmosKey = java.util.Base64.getEncoder().encodeToString(("cosmos-secret-" + Emulators.unique()).getBytes());
    String awsSecret = "aws-secret-" + Emulators.unique();
    Map<String, String> cosmos = new HashMap<>(Emulators.cosmos());
    cosmos.put("key", cosmosKey);
    HttpResponse<String> created = send("POST", "/routing/routes", route(t, "cosmos", cosmos, true), t);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(send("POST", "/analytics/ingest", "{\"event_type\": \"pageview\"}", t).statusCode()).isEqualTo(200);
    String t2 = "t_secret2_" + Emulators.unique();
    Map<String, String> aws = new HashMap<>(Emulators.dynamodb());
    aws.put("endpoint_override", "http://127.0.0.1:9");
    aws.put("access_key_id", "AKIA" + Emulators.unique());
    aws.put("secret_access_key", awsSecret);
    assertThat(send("POST", "/routing/routes", route(t2, "dynamodb", aws, true), t2).statusCode()).isEqualTo(201);
    assertThat(send("POST", "/analytics/ingest", "{\"event_type\": \"pageview\"}", t2).statusCode()).isEqualTo(503);
    // A config error echoes no secret either.
    Map<String, String> bad = new HashMap<>(cosmos);
    bad.put("endpoint", "http://plain");
    HttpResponse<String> refused = send("POST", "/routing/routes", route(t, "cosmos", bad, true), t);
    assertThat(refused.statusCode()).isEqualTo(400);

    List<String> responses = new ArrayList<>(List.of(created.body(), refused.body(),
        send("GET", "/routing/routes", null, t).body(), send("GET", "/routing/routes", null, t2).body()));
    for (String body : responses) {
      assertThat(body).doesNotContain(cosmosKey).doesNotContain(awsSecret);
    }
    assertThat(send("GET", "/routing/routes", null, t).body()).contains("***");
    for (ILoggingEvent e : List.copyOf(LOGS.list)) {
      String line = e.getFormattedMessage() + " " + e.getKeyValuePairs() + " " + (e.getThrowableProxy() == null ? ""
          : e.getThrowableProxy().getMessage());
      assertThat(line).doesNotContain(cosmosKey).doesNotContain(awsSecret);
    }
    assertThat(LOGS.list).anyMatch(e -> e.getFormattedMessage().contains("adapter initialization failed")
        || e.getFormattedMessage().contains("route"));
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables "
          + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("analytics.routes", "analytics.audit_log");
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%"
            + cosmosKey + "%' OR t::text LIKE '%" + awsSecret + "%'")) {
          rs.next();
          assertThat(rs.getLong(1)).as(table).isZero();
        }
      }
    }
  }

  @Test
  void aDevelopmentServerGeneratesItsRouteSecretsKeyReadableByItsOwnerOnly() throws Exception {
    Path key = dataDir.resolve(RouteSecretKeys.DEV_KEY_FILE);
    assertThat(key).exists();
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(LOGS.list).anyMatch(e -> e.getLevel().toString().equals("WARN")
        && e.getFormattedMessage().contains("ROUTE_SECRETS_KEY is not set"));
  }
}
