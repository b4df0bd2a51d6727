package io.tally.analytics.adapter.http;

import static io.tally.analytics.adapter.http.ApiFixture.ORG_A;
import static io.tally.analytics.adapter.http.ApiFixture.ORG_B;
import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.HttpServerTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.usage.UsageEventKey;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageRoutesTest {
  static final Map<String, String> ADMIN_A = actor("alice", "admin", ORG_A);
  static final String USAGE = "/analytics/v1/orgs/" + ORG_A + "/usage";
  static final String RELIABILITY = "/analytics/v1/orgs/" + ORG_A + "/reliability";
  static final String RANGE = "?start=2026-10-01T00:00:00Z&end=2026-10-03T00:00:00Z";

  final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  static String event(String id, String org, String at, String model, long in, long out, long latency,
      String status) {
    return "{\"eventId\": \"" + id + "\", \"orgId\": \"" + org + "\", \"occurredAt\": \"" + at
        + "\", \"modelId\": \"" + model + "\", \"apiKeyId\": \"key_12\", \"inputTokens\": " + in
        + ", \"outputTokens\": " + out + ", \"costMicros\": 1840, \"latencyMs\": " + latency
        + ", \"status\": \"" + status + "\"" + ("error".equals(status) ? ", \"errorCode\": \"upstream_timeout\"" : "")
        + "}";
  }

  static String batch(String... events) {
    return "{\"events\": [" + String.join(", ", events) + "]}";
  }

  boolean stored(String eventId) {
    return api.usageData.eventStore().find(new UsageEventKey(java.util.UUID.fromString(ORG_A), eventId)).isPresent();
  }

  HttpResponse<String> post(String body, Map<String, String> headers) {
    return api.send("POST", "/analytics/v1/events", body, headers);
  }

  @Test
  void aBatchAnswersOneResultPerElement() {
    String e1 = event("req-1", ORG_A, "2026-10-01T10:15:30.123Z", "llama-3-70b", 812, 230, 912, "error");
    HttpResponse<String> r = post(batch(e1, e1, e1.replace("812", "813"),
        "{\"eventId\": \"bad\", \"orgId\": \"" + ORG_A + "\", \"inputTokens\": -5, \"status\": \"maybe\"}",
        "42", event("req-2", ORG_A, "2026-10-02T08:00:00Z", "mistral-7b", 10, 5, 100, "success")), ADMIN_A);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = TestServer.json(r);
    assertThat(body.get("batchId").asText()).isNotBlank();
    assertThat(body.get("accepted").asLong()).isEqualTo(2);
    assertThat(body.get("duplicates").asLong()).isEqualTo(1);
    assertThat(body.get("conflicts").asLong()).isEqualTo(1);
    assertThat(body.get("rejected").asLong()).isEqualTo(2);
    JsonNode results = body.get("results");
    assertThat(results).hasSize(6);
    List<String> statuses = new ArrayList<>();
    results.forEach(x -> statuses.add(x.get("status").asText()));
    assertThat(statuses).containsExactly("accepted", "duplicate", "conflict", "rejected", "rejected", "accepted");
    assertThat(results.get(0).get("eventId").asText()).isEqualTo("req-1");
    assertThat(results.get(0).get("errors")).isEmpty();
    List<String> codes = new ArrayList<>();
    results.get(3).get("errors").forEach(e -> codes.add(e.get("errorCode").asText()));
    assertThat(codes).as("every problem of the event, not just the first").contains("event.invalid_tokens",
        "event.invalid_status", "event.missing_field");
    assertThat(results.get(4).at("/errors/0/errorCode").asText()).isEqualTo("event.not_an_object");
    assertThat(results.get(4).get("eventId").isNull()).isTrue();
    assertThat(api.deadLetters.count()).as("both rejected elements are dead-lettered").isEqualTo(2);

    JsonNode again = TestServer.json(post(batch(e1), ADMIN_A));
    assertThat(again.at("/results/0/status").asText()).isEqualTo("duplicate");
  }

  @Test
  void numbersOfTheWrongShapeAreReportedByTheValidator() {
    String e = event("req-9", ORG_A, "2026-10-01T10:00:00Z", "llama-3-70b", 1, 1, 1, "success");
    JsonNode body = TestServer.json(post(batch(e.replace("\"inputTokens\": 1", "\"inputTokens\": 1.5")
        .replace("\"latencyMs\": 1", "\"latencyMs\": true")), ADMIN_A));
    List<String> fields = new ArrayList<>();
    body.at("/results/0/errors").forEach(x -> fields.add(x.get("field").asText()));
    assertThat(fields).contains("inputTokens", "latencyMs");
  }

  @Test
  void aNestedValueInAnEventFieldIsRejectedAsOnTheStream() {
    String e = event("req-n", ORG_A, "2026-10-01T10:00:00Z", "llama-3-70b", 1, 1, 1, "success");
    long lettersBefore = api.deadLetters.count();
    JsonNode body = TestServer.json(post(batch(e.replace("\"region\"", "\"x\"").replace("\"status\"",
        "\"region\": {\"zone\": 1}, \"status\""), e.replace("req-n", "req-m").replace("\"status\"",
        "\"metadata\": [1, {\"a\": 2}], \"status\"")), ADMIN_A));
    assertThat(body.at("/results/0/status").asText()).isEqualTo("rejected");
    assertThat(body.at("/results/0/errors/0/errorCode").asText()).isEqualTo("event.nested_value");
    assertThat(body.at("/results/0/errors/0/field").asText()).isEqualTo("region");
    assertThat(body.at("/results/1/status").asText()).as("unknown fields may nest").isEqualTo("accepted");
    assertThat(body.get("rejected").asLong()).isEqualTo(1);
    assertThat(api.deadLetters.count()).isEqualTo(lettersBefore + 1);
  }

  @Test
  void batchLimitsAndShapeAreChecked() {
    String e = event("req-1", ORG_A, "2026-10-01T10:00:00Z", "llama-3-70b", 1, 1, 1, "success");
    assertError(post(batch(java.util.Collections.nCopies(ApiFixture.MAX_EVENTS + 1, e).toArray(String[]::new)),
        ADMIN_A), 413, "request.too_many_events");
    assertError(post("{\"events\": [\"" + "x".repeat(ApiFixture.MAX_BODY) + "\"]}", ADMIN_A), 413,
        "request.too_large");
    assertError(post("{\"items\": []}", ADMIN_A), 400, "request.missing_field");
    assertError(post("[]", ADMIN_A), 400, "request.missing_field");
    assertError(post("{\"events\": {}}", ADMIN_A), 422, "request.invalid_type");
    assertError(post("{\"events\": []}", ADMIN_A), 400, "request.empty_batch");
    assertError(post("{\"events\": [", ADMIN_A), 400, "request.malformed_json");
    assertError(post("{\"events\": [], \"events\": []}", ADMIN_A), 400, "request.malformed_json");
    assertThat(stored("req-1")).isFalse();
  }

  @Test
  void anEventForAnotherOrgDeniesTheBatchAndIsAudited() {
    HttpResponse<String> r = post(batch(
        event("req-1", ORG_A, "2026-10-01T10:00:00Z", "llama-3-70b", 1, 1, 1, "success"),
        event("req-2", ORG_B, "2026-10-01T10:00:00Z", "llama-3-70b", 1, 1, 1, "success")), ADMIN_A);
    assertError(r, 403, "auth.cross_org");
    assertThat(api.lastAudit().decision()).isEqualTo(AuditEntry.DENY);
    assertThat(api.lastAudit().scope()).isEqualTo("org:" + ORG_B);
    assertThat(stored("req-1")).isFalse();
    String one = batch(event("req-1", ORG_A, "2026-10-01T10:00:00Z", "llama-3-70b", 1, 1, 1, "success"));
    assertError(post(one, actor("vera", "viewer", ORG_A)), 403, "auth.forbidden");
    JsonNode noScope = assertError(post(one, actor("svc", "ingestor", null)), 403, "auth.no_org_scope");
    assertThat(noScope.get("message").asText()).contains("X-Actor-Orgs");
    assertThat(post(one, actor("svc", "ingestor", ORG_A)).statusCode()).isEqualTo(200);
  }

  @Test
  void usageAndReliabilityHaveTheDesignShapes() {
    post(batch(
        event("a1", ORG_A, "2026-10-01T10:00:00Z", "llama-3-70b", 100, 10, 200, "success"),
        event("a2", ORG_A, "2026-10-01T11:00:00Z", "llama-3-70b", 300, 30, 400, "error"),
        event("a3", ORG_A, "2026-10-02T09:00:00Z", "mistral-7b", 50, 5, 100, "success")), ADMIN_A);
    api.rollUp();

    JsonNode usage = TestServer.json(api.send("GET", USAGE + RANGE + "&granularity=daily", null, ADMIN_A));
    assertThat(usage.get("orgId").asText()).isEqualTo(ORG_A);
    assertThat(usage.get("granularity").asText()).isEqualTo("daily");
    assertThat(usage.get("start").asText()).isEqualTo("2026-10-01T00:00:00Z");
    assertThat(usage.get("end").asText()).isEqualTo("2026-10-03T00:00:00Z");
    assertThat(usage.at("/freshness/status").asText()).isIn("fresh", "stale");
    assertThat(usage.at("/freshness/lastRollupAt").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(usage.at("/freshness/lagSeconds").asLong()).isZero();
    assertThat(usage.get("series")).hasSize(2);
    JsonNode first = usage.at("/series/0");
    assertThat(first.get("bucketStart").asText()).isEqualTo("2026-10-01T00:00:00Z");
    assertThat(first.get("modelId").asText()).isEqualTo("llama-3-70b");
    assertThat(first.get("requests").asLong()).isEqualTo(2);
    assertThat(first.get("errors").asLong()).isEqualTo(1);
    assertThat(first.get("inputTokens").asLong()).isEqualTo(400);
    assertThat(first.get("outputTokens").asLong()).isEqualTo(40);
    assertThat(first.get("costMicros").asLong()).isEqualTo(3680);
    assertThat(usage.at("/totals/requests").asLong()).isEqualTo(3);
    assertThat(usage.at("/totals/costMicros").asLong()).isEqualTo(5520);
    List<String> keys = new ArrayList<>();
    usage.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("orgId", "granularity", "start", "end", "freshness", "series", "totals");

    JsonNode filtered = TestServer.json(api.send("GET", USAGE + RANGE + "&modelId=mistral-7b", null, ADMIN_A));
    assertThat(filtered.at("/totals/requests").asLong()).isEqualTo(1);
    JsonNode merged = TestServer.json(api.send("GET", USAGE + RANGE + "&groupBy=none&granularity=hourly", null,
        ADMIN_A));
    assertThat(merged.get("series")).hasSize(3);
    assertThat(merged.at("/series/0/modelId").isNull()).isTrue();

    JsonNode rel = TestServer.json(api.send("GET", RELIABILITY + RANGE, null, ADMIN_A));
    assertThat(rel.get("percentileMethod").asText()).isEqualTo("sketch");
    assertThat(rel.get("relativeAccuracy").asDouble()).isEqualTo(0.01);
    assertThat(rel.has("freshness")).isTrue();
    JsonNode point = rel.at("/series/0");
    assertThat(point.get("errorRate").asDouble()).isEqualTo(0.5);
    assertThat(point.at("/latencyMs/p50").asDouble()).isBetween(198.0, 404.0);
    assertThat(point.at("/latencyMs").size()).isEqualTo(3);
    assertThat(point.at("/latencyMs/p99").isNumber()).isTrue();
    JsonNode exact = TestServer.json(api.send("GET", RELIABILITY + RANGE + "&percentileMethod=exact"
        + "&percentiles=50,99.9", null, ADMIN_A));
    assertThat(exact.get("percentileMethod").asText()).isEqualTo("exact");
    assertThat(exact.get("relativeAccuracy").asDouble()).isZero();
    assertThat(exact.at("/series/0/latencyMs/p50").asDouble()).isEqualTo(300.0);
    assertThat(exact.at("/series/0/latencyMs/p99.9").isNumber()).isTrue();
  }

  @Test
  void anAdminOfAnotherOrgCannotReadAndIsAudited() {
    Map<String, String> adminB = actor("bob", "admin", ORG_B);
    assertError(api.send("GET", USAGE + RANGE, null, adminB), 403, "auth.cross_org");
    assertThat(api.lastAudit().actorSubject()).isEqualTo("bob");
    assertThat(api.lastAudit().decision()).isEqualTo(AuditEntry.DENY);
    assertError(api.send("GET", RELIABILITY + RANGE, null, adminB), 403, "auth.cross_org");
    assertError(api.send("GET", USAGE + RANGE, null, actor("bob", "admin", null)), 403, "auth.no_org_scope");
    assertError(api.send("GET", USAGE + RANGE, null, actor("ivan", "ingestor", ORG_A)), 403, "auth.forbidden");
    assertThat(api.send("GET", USAGE + RANGE, null, actor("vera", "viewer", ORG_A)).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedQueriesGetTheirOwn400Codes() {
    assertError(api.send("GET", USAGE + "?end=2026-10-03T00:00:00Z", null, ADMIN_A), 400,
        "request.missing_parameter");
    assertError(api.send("GET", USAGE + "?start=yesterday&end=2026-10-03T00:00:00Z", null, ADMIN_A), 400,
        "request.invalid_time");
    assertError(api.send("GET", USAGE + "?start=2026-10-03T00:00:00Z&end=2026-10-01T00:00:00Z", null, ADMIN_A), 400,
        "request.invalid_range");
    assertError(api.send("GET", USAGE + RANGE + "&granularity=weekly", null, ADMIN_A), 400,
        "request.invalid_granularity");
    assertError(api.send("GET", USAGE + "?start=2026-01-01T00:00:00Z&end=2026-03-01T00:00:00Z&granularity=hourly",
        null, ADMIN_A), 400, "request.range_too_large");
    assertError(api.send("GET", USAGE + "?start=2020-01-01T00:00:00Z&end=2026-03-01T00:00:00Z", null, ADMIN_A), 400,
        "request.range_too_large");
    assertError(api.send("GET", USAGE + RANGE + "&groupBy=region", null, ADMIN_A), 400, "request.invalid_group_by");
    assertError(api.send("GET", USAGE + RANGE + "&modelId=%3Cscript%3E", null, ADMIN_A), 400,
        "request.invalid_model_id");
    for (String bad : List.of("0", "101", "abc", "50,,99", "NaN", "1,2,3,4,5,6,7,8,9,10,11")) {
      assertError(api.send("GET", RELIABILITY + RANGE + "&percentiles=" + bad, null, ADMIN_A), 400,
          "request.invalid_percentiles");
    }
    assertError(api.send("GET", RELIABILITY + RANGE + "&percentileMethod=guess", null, ADMIN_A), 400,
        "request.invalid_percentile_method");
    assertError(api.send("GET", "/analytics/v1/orgs/acme/usage" + RANGE, null, ADMIN_A), 400,
        "request.invalid_path_param");
  }
}
