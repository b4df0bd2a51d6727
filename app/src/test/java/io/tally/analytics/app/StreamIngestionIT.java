package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.app.RunningTally.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.UsageEventPublisher;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} with {@code RABBITMQ_URL=rabbitmq-stream://…}: events published to the stream (one duplicate, one
 * invalid) show up in the usage API once, and {@code readyz} reports the broker.
 */
class StreamIngestionIT {
  static final String URL = "rabbitmq-stream://guest:guest@127.0.0.1:5552/%2f";

  @Test
  void publishedEventsAreIngestedOnceAndRolledUp() throws Exception {
    String stream = "tally-it-" + UUID.randomUUID();
    String org = "00000000-0000-0000-0000-0000000000e1";
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-stream-"),
            Map.of("RABBITMQ_URL", URL, "RABBITMQ_STREAM", stream, "ROLLUP_INTERVAL", "200ms"))) {
      StreamSettings settings = StreamSettings.builder().uri(URL).stream(stream).consumerName("it-publisher").build();
      String event = """
          {"eventId": "%s", "orgId": "%s", "occurredAt": "2026-10-01T10:00:00Z", "modelId": "llama-3-70b",
           "inputTokens": %d, "outputTokens": 10, "costMicros": 5, "latencyMs": 100, "status": "success"}""";
      try (UsageEventPublisher publisher = UsageEventPublisher.builder(settings).producerName("it-" + stream).declareStream(true).open()) {
        publisher.publish(event.formatted("s-1", org, 100));
        publisher.publish(event.formatted("s-3", org, -1));
        publisher.publish(event.formatted("s-2", org, 200));
        publisher.publish(event.formatted("s-1", org, 100));
        publisher.flush(Duration.ofSeconds(10));
      }
      String path = "/analytics/v1/orgs/" + org + "/usage?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z"
          + "&granularity=daily";
      Instant deadline = Instant.now().plusSeconds(60);
      JsonNode usage = json(tally.get(path, actor("vera", "viewer", org)));
      while (usage.at("/totals/requests").asLong() < 2 && Instant.now().isBefore(deadline)) {
        Thread.sleep(250);
        usage = json(tally.get(path, actor("vera", "viewer", org)));
      }
      assertThat(usage.at("/totals/requests").asLong()).isEqualTo(2);
      assertThat(usage.at("/totals/inputTokens").asLong()).isEqualTo(300);
      assertThat(tally.app.services().deadLetters().count()).isEqualTo(1);
      assertThat(tally.app.services().deadLetters().latest(1).get(0).messageOffset())
          .as("the invalid message's own offset (a new stream starts at 0), not its batch's last").contains(1L);
      assertThat(tally.get("/analytics/v1/status/readyz", Map.of()).body()).contains("rabbitmq");
    }
  }
}
