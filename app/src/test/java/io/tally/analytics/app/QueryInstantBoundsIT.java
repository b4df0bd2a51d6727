package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static io.tally.analytics.app.UsageCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8, finding 3 (query side): instants PostgreSQL cannot hold made usage, reliability and the AN-01 query,
 * aggregate and ingest answer 500. Every instant a request carries is now bounded to RFC 3339's years
 * 0001-9999 and refused with 400 {@code request.invalid_time} outside them.
 */
class QueryInstantBoundsIT {
  static final String ORG = "00000000-0000-0000-0000-0000000003a1";
  static final String TENANT = "t_bounds";

  @RegisterExtension
  static final FreshTally SERVER = new FreshTally(Map.of());

  final RunningTally tally = SERVER.tally();

  @BeforeAll
  static void routeTheTenant() {
    HttpResponse<String> route = SERVER.tally().send("POST", "/routing/routes", """
        {"resource_kind": "analytics_store", "tenant_id": "%s", "env": "development", "backend_type": "postgres",
         "config": {}, "required": true}""".formatted(TENANT), tenant());
    assertThat(route.statusCode()).as(route.body()).isEqualTo(201);
  }

  static Map<String, String> tenant() {
    return with(actor("ops", "admin", TENANT), "X-Tenant-ID", TENANT, "X-Mode", "saas", "X-Project-ID", "p1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
      "-0001-01-01T00:00:00Z"})
  void usageAndReliabilityRefuseUnboundedInstants(String raw) {
    String instant = URLEncoder.encode(raw, StandardCharsets.UTF_8);
    String dayLater = URLEncoder.encode(Instant.parse(raw).plus(Duration.ofDays(1)).toString(),
        StandardCharsets.UTF_8);
    for (String api : new String[] {"usage", "reliability"}) {
      assertInvalidTime(tally.get("/analytics/v1/orgs/" + ORG + "/" + api + "?start=" + instant + "&end=" + dayLater
          + "&granularity=daily", actor("v", "viewer", ORG)));
      assertInvalidTime(tally.get("/analytics/v1/orgs/" + ORG + "/" + api + "?start=" + instant + "&end=" + dayLater
          + "&granularity=hourly&percentileMethod=exact", actor("v", "viewer", ORG)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"})
  void an01QueryAggregateAndIngestRefuseUnboundedInstants(String raw) {
    String instant = URLEncoder.encode(raw, StandardCharsets.UTF_8);
    assertInvalidTime(tally.get("/analytics/query?start_time=" + instant, tenant()));
    assertInvalidTime(tally.get("/analytics/query?end_time=" + instant, tenant()));
    assertInvalidTime(tally.get("/analytics/aggregate?metric=events&start_time=" + instant, tenant()));
    assertInvalidTime(tally.send("POST", "/analytics/ingest",
        "{\"event_type\": \"pageview\", \"occurred_at\": \"" + raw + "\"}", tenant()));
  }

  private static void assertInvalidTime(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).get("error_code").asText()).isEqualTo("request.invalid_time");
  }
}
