package io.tally.analytics.adapter.http;

import static io.tally.analytics.adapter.http.ApiFixture.ORG_A;
import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * 10,000 malformed or hostile requests (random JSON, huge numbers, deep nesting, path tricks, odd headers) against
 * every route, from a fixed seed so a failure reproduces: none may answer 5xx, every error must be the one JSON
 * shape, and nothing may be stored.
 */
class HostileRequestsTest {
  static final int REQUESTS = 10_000;
  static final long SEED = 20_261_125L;
  static final String USAGE_EVENT = """
      {"eventId": "req-%d", "orgId": "%s", "occurredAt": "2026-10-01T10:15:30.123Z", "modelId": "llama-3-70b",
       "inputTokens": 812, "outputTokens": 230, "costMicros": 1840, "latencyMs": 912, "status": "success"}""";
  static final String[] HOSTILE_VALUES = {
      "\"\"", "\" \"", "-1", "1.5", "1e999999", "-1e999999", "99999999999999999999999999999999999999",
      "\"NaN\"", "\"Infinity\"", "null", "true", "[]", "{}", "\"\\u0000\"", "\"\\u202e\\u0007\"", "\"💥\"",
      "\"' OR 1=1 --\"", "\"${jndi:ldap://x/a}\"", "\"<script>alert(1)</script>\"", "\"../../etc/passwd\"",
      "\"%00\"", "\"" + "x".repeat(10_000) + "\"", "[".repeat(2_000) + "]".repeat(2_000),
      "{\"a\":".repeat(1_500) + "1" + "}".repeat(1_500), "\"\\ud800\"", "0x10", "\"2026-13-45T99:99:99Z\""};
  static final String[] HOSTILE_TEXT = {"", " ", "-1", "0", "1e999999", "NaN", "%00", "%2e%2e%2f", "..%2F..%2F",
      "%ff%fe", "' OR 1=1 --", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%3Cscript%3E", "a".repeat(3_000),
      "2026-10-01T00:00:00", "9999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "%E2%80%AE", "%0d%0aX-Evil:1"};
  static final String[] HOSTILE_HEADERS = {"", " ", "*", "*,*", " , ", "t1,t2", "../..", "%00", "x".repeat(300),
      "lab;drop", "SAAS ", "null", "\t"};

  final Random random = new Random(SEED);

  @Test
  void noHostileRequestGetsA5xxOrChangesData() {
    Map<Integer, Integer> statuses = new TreeMap<>();
    try (ApiFixture api = new ApiFixture().withPostgresRoute("t1")) {
      List<Supplier<Request>> kinds = List.of(this::an01Ingest, this::an01Read, this::routing, this::exports,
          this::usageBatch, this::usageRead, this::randomJsonAnywhere, this::pathTricks, this::hostileHeaders);
      long accepted = 0;
      String previous = "-";
      int retries = 0;
      int previousStatus = 0;
      for (int i = 0; i < REQUESTS; i++) {
        Request r = kinds.get(random.nextInt(kinds.size())).get();
        HttpResponse<String> response;
        try {
          response = api.send(r.method, r.path, r.body, r.headers);
        } catch (IllegalArgumentException clientRefused) {
          continue; // the JDK client itself refuses some URIs and header values; nothing reached the server
        } catch (java.io.UncheckedIOException dropped) {
          throw new AssertionError("after " + previous + " (" + previousStatus + "): connection dropped for " + r.method + " " + abbreviate(r.path) + " "
              + abbreviate(String.valueOf(r.headers)) + " " + abbreviate(r.body), dropped);
        }
        statuses.merge(response.statusCode(), 1, Integer::sum);
        previous = r.method + " " + abbreviate(r.path) + " " + abbreviate(String.valueOf(r.headers)) + " "
            + abbreviate(r.body);
        previousStatus = response.statusCode();
        assertThat(response.statusCode()).as("%s %s -> %s", r.method, abbreviate(r.path), abbreviate(response.body()))
            .isLessThan(500);
        if (response.statusCode() >= 400) {
          JsonNode error = TestServer.json(response);
          assertThat(error.has("error_code")).as("%s %s %s -> %s %s", r.method, abbreviate(r.path),
              r.headers, response.statusCode(), abbreviate(response.body())).isTrue();
          assertThat(error.get("error_code").asText()).isNotBlank();
          assertThat(error.get("status_code").asInt()).isEqualTo(response.statusCode());
        } else if (r.path.equals("/analytics/v1/events")) {
          JsonNode report = TestServer.json(response);
          assertThat(report.has("accepted")).as("%s %s %s -> %s", r.method, r.path, abbreviate(r.body),
              abbreviate(response.body())).isTrue();
          accepted += report.get("accepted").asLong();
        }
      }
      assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(REQUESTS * 9 / 10);
      assertThat(retries).as("connections dropped after a protocol error").isLessThan(REQUESTS / 20);
      assertThat(accepted).as("no usage event accepted").isZero();
      assertThat(api.store.size()).as("no AN-01 event stored").isZero();
      assertThat(api.registry.list("analytics_store", Optional.empty())).as("only the fixture's route").hasSize(1);
      assertThat(api.jobs.list(ORG_A, Optional.empty(), 100).jobs()).as("no export job").isEmpty();
    }
    System.out.println("hostile request statuses: " + statuses);
  }

  @Test
  void closesTheConnectionAfterAProtocolLevelRejection() throws Exception {
    try (ApiFixture api = new ApiFixture();
        java.net.Socket socket = new java.net.Socket("127.0.0.1", api.http.server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("GET /analytics/v1/orgs/%00/usage HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("connection: close")
          .contains("\"error_code\":\"request.bad_request\"");
    }
  }

  record Request(String method, String path, String body, Map<String, String> headers) {}

  static final Map<String, String> AN01 = with(actor("alice", "admin", "t1"), "X-Tenant-ID", "t1", "X-Mode", "saas",
      "X-Project-ID", "p1");
  static final Map<String, String> ORG_ADMIN = actor("alice", "admin", ORG_A + ",t1");

  private Request an01Ingest() {
    String body = switch (random.nextInt(4)) {
      case 0 -> "{\"event_type\": " + hostileEventType() + ", \"payload\": {}}";
      case 1 -> "{\"event_type\": " + hostileEventType() + ", \"" + pick("utm_source", "payload", "occurred_at", "user_id")
          + "\": " + hostile() + "}";
      case 2 -> "{\"event_type\": " + hostileEventType() + ", \"payload\": " + randomJson(4) + "}";
      default -> brokenJson();
    };
    return new Request("POST", "/analytics/ingest", body, AN01);
  }

  private Request an01Read() {
    String path = pick("/analytics/query?", "/analytics/aggregate?metric=" + text() + "&", "/analytics/aggregate?")
        + pick("start_time", "end_time", "limit", "cursor", "utm_source", "group_by", "bucket", "user_id") + "="
        + text() + "&" + pick("limit", "cursor", "group_by", "end_time") + "=" + text();
    String method = random.nextInt(5) == 0 ? "DELETE" : "GET";
    if (method.equals("DELETE")) {
      path = pick("/analytics/event/", "/analytics/users/") + pathText();
    }
    return new Request(method, path, null, AN01);
  }

  private Request routing() {
    String valid = """
        {"resource_kind": "analytics_store", "tenant_id": "t1", "env": "other", "backend_type": "dynamodb",
         "config": {"region": "us-east-1", "table_name": "t", "use_local": false}, "required": true}""";
    String field = pick("\"analytics_store\"", "\"dynamodb\"");
    String body = random.nextInt(3) == 0 ? randomJson(3) : valid.replace(field, hostileNonValid(field));
    String method = pick("POST", "POST", "GET", "DELETE");
    String path = method.equals("DELETE") ? "/routing/routes/" + pathText()
        : method.equals("GET") ? "/routing/routes?resource_kind=" + text() : "/routing/routes";
    return new Request(method, path, method.equals("POST") ? body : null, AN01);
  }

  private Request exports() {
    String base = "/analytics/v1/orgs/" + ORG_A + "/exports";
    String valid = "{\"timeRange\": {\"start\": \"2025-11-01T00:00:00Z\", \"end\": \"2025-11-07T23:59:59Z\"},"
        + " \"granularity\": \"daily\", \"kind\": \"usage\"}";
    String field = pick("\"2025-11-01T00:00:00Z\"", "\"2025-11-07T23:59:59Z\"");
    return switch (random.nextInt(4)) {
      case 0 -> new Request("POST", base, valid.replace(field, hostileNonValid(field)), ORG_ADMIN);
      case 1 -> new Request("POST", base, random.nextBoolean() ? randomJson(3) : brokenJson(), ORG_ADMIN);
      case 2 -> new Request("GET", base + "?limit=" + text() + "&cursor=" + text(), null, ORG_ADMIN);
      default -> new Request("GET", base + "/" + pathText() + pick("", "/download"), null, ORG_ADMIN);
    };
  }

  private Request usageBatch() {
    List<String> events = new ArrayList<>();
    int n = 1 + random.nextInt(5);
    for (int i = 0; i < n; i++) {
      String event = USAGE_EVENT.formatted(random.nextInt(1000), ORG_A);
      String field = pick("812", "912", "\"success\"", "\"2026-10-01T10:15:30.123Z\"");
      events.add(switch (random.nextInt(4)) {
        case 0 -> event.replace(field, hostileNonValid(field));
        case 1 -> randomJson(3);
        case 2 -> hostile();
        default -> event.replace(field, hostileNonValid(field)).replace("\"orgId\"", "\"orgId\": " + hostile()
            + ", \"x\"");
      });
    }
    String body = random.nextInt(6) == 0 ? brokenJson() : "{\"events\": [" + String.join(",", events) + "]}";
    return new Request("POST", "/analytics/v1/events", body, ORG_ADMIN);
  }

  private Request usageRead() {
    String path = "/analytics/v1/orgs/" + pick(ORG_A, ORG_A, pathText()) + pick("/usage", "/reliability")
        + "?start=" + pick("2026-10-01T00:00:00Z", text()) + "&end=" + pick("2026-10-02T00:00:00Z", text())
        + "&" + pick("granularity", "modelId", "groupBy", "percentiles", "percentileMethod") + "=" + text();
    return new Request("GET", path, null, ORG_ADMIN);
  }

  private Request randomJsonAnywhere() {
    String path = pick("/analytics/ingest", "/routing/routes", "/analytics/v1/events",
        "/analytics/v1/orgs/" + ORG_A + "/exports");
    String body = random.nextBoolean() ? randomJson(6) : hostile();
    // Without X-Project-ID an AN-01 body is parsed, then refused, even when the random JSON is a valid event.
    Map<String, String> headers = new HashMap<>(with(AN01, "X-Actor-Orgs", ORG_A + ",t1"));
    headers.remove("X-Project-ID");
    return new Request(pick("POST", "PUT", "PATCH"), path, body, headers);
  }

  private Request pathTricks() {
    String path = pick("/analytics/event/..%2F..%2Fetc%2Fpasswd", "/analytics//ingest", "/analytics/./query",
        "/analytics/v1/orgs/" + ORG_A + "/exports/%2e%2e/%2e%2e", "/analytics/v1/orgs/%00/usage",
        "/routing/routes/%ff%fe", "/analytics/event/" + "a".repeat(4_000), "/analytics/v1/orgs/" + ORG_A
            + "/exports/job-1/download/../../../../metrics", "/%2e%2e/%2e%2e/etc/passwd", "/analytics/users/%0d%0a",
        "/analytics/v1/orgs/" + ORG_A.toUpperCase() + "/usage?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z",
        "/openapi.json/..;/analytics/ingest", "/analytics/event/%25%32%65");
    return new Request(pick("GET", "DELETE", "POST"), path, null, AN01);
  }

  private Request hostileHeaders() {
    Map<String, String> headers = new HashMap<>(AN01);
    headers.put(pick("X-Tenant-ID", "X-Mode", "X-Project-ID", "X-Actor-Orgs", "X-Actor-Roles", "X-Actor-Subject",
        "X-Request-ID", "Content-Type"), pick(HOSTILE_HEADERS));
    if (random.nextInt(10) == 0) {
      headers.put("X-Padding", "p".repeat(20_000));
    }
    String body = "{\"event_type\": 7}";
    return random.nextBoolean() ? new Request("POST", "/analytics/ingest", body, headers)
        : new Request("GET", "/analytics/query", null, headers);
  }

  /** Hostile values that are not, by chance, a valid event type ("NaN" is one). */
  private String hostileEventType() {
    String v;
    do {
      v = hostile();
    } while (v.matches("\"[A-Za-z0-9_.:-]{1,64}\""));
    return v;
  }

  private String hostile() {
    return pick(HOSTILE_VALUES);
  }

  /** A hostile JSON value that is not the valid one it replaces. */
  private String hostileNonValid(String valid) {
    String v;
    do {
      v = hostile();
    } while (v.equals(valid));
    return v;
  }

  /** A hostile query or path fragment; percent-encoded only where the JDK client would refuse it raw. */
  private String text() {
    String t = pick(HOSTILE_TEXT);
    try {
      java.net.URI.create("http://localhost/x?q=" + t);
      return t;
    } catch (IllegalArgumentException e) {
      return java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private String pathText() {
    String t = text();
    return t.isBlank() ? "%20" : t;
  }

  private String brokenJson() {
    String json = randomJson(3);
    return switch (random.nextInt(4)) {
      case 0 -> json.substring(0, random.nextInt(Math.max(1, json.length())));
      case 1 -> json + "}";
      case 2 -> "{\"a\": 1, \"a\": 2}";
      default -> "\u00ff\u00fe{\"a\": \"\\uZZZZ\"}";
    };
  }

  private String randomJson(int depth) {
    int kind = depth == 0 ? random.nextInt(4) : random.nextInt(6);
    return switch (kind) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> hostile();
      case 2 -> "\"" + Integer.toHexString(random.nextInt()) + "\"";
      case 3 -> random.nextBoolean() ? "true" : "null";
      case 4 -> {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(randomJson(depth - 1));
        }
        yield "[" + String.join(",", items) + "]";
      }
      default -> {
        List<String> fields = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          fields.add("\"" + pick("events", "event_type", "timeRange", "backend_type", "config", "payload", "orgId",
              "eventId", "k" + i) + "\": " + randomJson(depth - 1));
        }
        yield "{" + String.join(",", fields) + "}";
      }
    };
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private static String abbreviate(String s) {
    return s == null || s.length() < 300 ? s : s.substring(0, 300) + "…";
  }
}
