package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Usage events and usage reads against a {@link RunningTally}, for the hardening ITs. */
final class UsageCalls {
  static final String EVENTS = "/analytics/v1/events";

  private UsageCalls() {}

  /** @return one usage event as the wire carries it */
  static String event(String eventId, String orgId, String occurredAt) {
    return """
        {"eventId": "%s", "orgId": "%s", "occurredAt": "%s", "modelId": "llama-3-70b", "inputTokens": 10,
         "outputTokens": 5, "costMicros": 7, "latencyMs": 120, "status": "success"}"""
        .formatted(eventId, orgId, occurredAt);
  }

  /** @return {@code {"events": [...]}} */
  static String batch(String... events) {
    return "{\"events\": [" + String.join(",", events) + "]}";
  }

  static HttpResponse<String> post(RunningTally tally, String orgs, String body) {
    return tally.send("POST", EVENTS, body, actor("ingest-" + orgs.hashCode(), "admin", orgs));
  }

  /** @return the org's daily usage for the UTC days around {@code at}, as a viewer of that org */
  static HttpResponse<String> usage(RunningTally tally, String org, Instant at) {
    Instant day = at.truncatedTo(ChronoUnit.DAYS);
    return tally.get("/analytics/v1/orgs/" + org + "/usage?start=" + day.minus(Duration.ofDays(1)) + "&end="
        + day.plus(Duration.ofDays(2)) + "&granularity=daily&groupBy=none", actor("viewer", "viewer", org));
  }

  /** Polls until {@code done} holds or the bound passes; @return the last value read */
  static <T> T until(Duration bound, Supplier<T> read, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      value = read.get();
    }
    return value;
  }

  static JsonNode json(HttpResponse<String> response) {
    return RunningTally.json(response);
  }
}
