package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.UsageEventPublisher;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * The scripted workload of the metrics and dashboard tests: what an hour of real traffic does to every meter, in a
 * few seconds. HTTP ingest with a duplicate, a conflict and invalid events; the same over the stream; a rollup (the
 * worker's, awaited through the usage API); usage and reliability queries (a cache miss, then hits); a request
 * denied across organisations; an export job; the AN-01 store without a route (503) and with one (ingest, query).
 */
final class ScriptedWorkload {
  private static final String EVENT = """
      {"eventId": "%s", "orgId": "%s", "occurredAt": "%s", "modelId": "%s", "inputTokens": %d, "outputTokens": 10,
       %s "latencyMs": %d, "status": "%s"}""";

  final String org = "00000000-0000-0000-0000-" + String.format("%012x", Math.abs(UUID.randomUUID().getMostSignificantBits() >>> 16));
  final String tenant = "t-w-" + UUID.randomUUID().toString().substring(0, 8);
  private final RunningTally tally;
  private final String hour = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS).toString();

  ScriptedWorkload(RunningTally tally) {
    this.tally = tally;
  }

  private String event(String id, String model, int inputTokens, boolean priced, int latencyMs, String status) {
    return EVENT.formatted(id, org, hour, model, inputTokens, priced ? "\"costMicros\": 25," : "", latencyMs, status);
  }

  /** Runs every step; {@code stream} names the stream the server consumes, or null to skip the stream step. */
  void run(String stream) throws Exception {
    Map<String, String> writer = actor("ingest-bot", "admin", org);
    String batch = "{\"events\": [%s, %s, %s, %s]}".formatted(
        event("w-1", "llama-3-70b", 100, true, 120, "success"),
        event("w-2", "llama-3-70b", 200, true, 2400, "error"),
        event("w-3", "gpt-x", -5, true, 80, "success"),
        event("w-4", "unpriced-model", 10, false, 90, "success"));
    HttpResponse<String> first = tally.send("POST", "/analytics/v1/events", batch, writer);
    assertThat(first.statusCode()).as(first.body()).isBetween(200, 299);
    String resend = "{\"events\": [%s, %s]}".formatted(event("w-1", "llama-3-70b", 100, true, 120, "success"),
        event("w-2", "llama-3-70b", 999, true, 2400, "error"));
    HttpResponse<String> again = tally.send("POST", "/analytics/v1/events", resend, writer);
    assertThat(again.statusCode()).as(again.body()).isBetween(200, 299);
    if (stream != null) {
      publish(stream);
    }
    awaitRollup(stream == null ? 2 : 4);
    String range = "?start=" + Instant.parse(hour).truncatedTo(ChronoUnit.DAYS) + "&end="
        + Instant.parse(hour).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)) + "&granularity=hourly";
    Map<String, String> viewer = actor("vera", "viewer", org);
    for (int i = 0; i < 3; i++) {
      assertThat(tally.get("/analytics/v1/orgs/" + org + "/usage" + range, viewer).statusCode()).isEqualTo(200);
    }
    assertThat(tally.get("/analytics/v1/orgs/" + org + "/reliability" + range + "&percentiles=50,95,99", viewer)
        .statusCode()).isEqualTo(200);
    Map<String, String> stranger = actor("mallory", "admin", "00000000-0000-0000-0000-0000000000ff");
    assertThat(tally.get("/analytics/v1/orgs/" + org + "/usage" + range, stranger).statusCode()).isEqualTo(403);
    String export = """
        {"timeRange": {"start": "%s", "end": "%s"}, "granularity": "daily"}"""
        .formatted(Instant.parse(hour).truncatedTo(ChronoUnit.DAYS), Instant.parse(hour).plus(Duration.ofHours(1)));
    HttpResponse<String> job = tally.send("POST", "/analytics/v1/orgs/" + org + "/exports", export,
        actor("erin", "admin", org));
    assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
    an01();
  }

  private void publish(String stream) throws Exception {
    StreamSettings settings = StreamSettings.builder().uri(StreamIngestionIT.URL).stream(stream)
        .consumerName("workload-publisher").build();
    try (UsageEventPublisher publisher = UsageEventPublisher.builder(settings).producerName("w-" + stream)
        .declareStream(true).open()) {
      publisher.publish(event("s-1", "llama-3-70b", 300, true, 3100, "success"));
      publisher.publish(event("s-1", "llama-3-70b", 300, true, 3100, "success"));
      publisher.publish(event("w-1", "llama-3-70b", 555, true, 120, "success"));
      publisher.publish(event("s-2", "gpt-x", 7, true, 6000, "error"));
      publisher.publish("{\"not\": \"a usage event\"");
      publisher.flush(Duration.ofSeconds(10));
    }
  }

  private void awaitRollup(long requests) throws InterruptedException {
    String path = "/analytics/v1/orgs/" + org + "/usage?start=" + Instant.parse(hour) + "&end="
        + Instant.parse(hour).plus(Duration.ofHours(1)) + "&granularity=hourly&groupBy=none";
    Map<String, String> viewer = actor("vera", "viewer", org);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      JsonNode usage = RunningTally.json(tally.get(path, viewer));
      seen = usage.at("/totals/requests").asLong();
      if (seen >= requests) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the rollup showed " + seen + " of " + requests + " requests within 60 s");
  }

  private void an01() {
    Map<String, String> admin = with(actor("admin-" + tenant, "admin", tenant), "X-Tenant-ID", tenant,
        "X-Mode", "saas", "X-Project-ID", "p1");
    String pageview = """
        {"event_type": "pageview", "payload": {"url": "https://example.com"}, "utm_source": "google",
         "app": "northstar_ui", "surface": "homepage", "platform": "web"}""";
    assertThat(tally.send("POST", "/analytics/ingest", pageview, admin).statusCode()).isEqualTo(503);
    String route = """
        {"resource_kind": "analytics_store", "tenant_id": "%s", "env": "development", "backend_type": "postgres",
         "config": {}, "required": true}""".formatted(tenant);
    HttpResponse<String> created = tally.send("POST", "/routing/routes", route, with(admin, "X-Mode", "system"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(tally.send("POST", "/analytics/ingest", pageview, admin).statusCode()).isEqualTo(200);
    assertThat(tally.get("/analytics/query?utm_source=google&limit=10", admin).statusCode()).isEqualTo(200);
  }
}
