package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.ports.testing.CuttableProxy;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} with the broker unreachable at start: the server comes up and takes HTTP ingest, {@code readyz}
 * reports the stream down with the reason, and the consumer starts on its own once the broker can be reached
 * (a relay on the configured port, cut when the server starts, is restored).
 */
class ServeWithoutBrokerIT {
  private static final String ORG = "00000000-0000-0000-0000-0000000000b7";

  @Test
  void servesWhileTheBrokerIsAwayAndStartsConsumingWhenItAppears() throws Exception {
    String stream = "tally-late-broker-" + UUID.randomUUID();
    SeedRun seeded = SeedRun.run(Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream),
        "seed", "--to-stream", "--events", "800", "--seed", "5", "--producer-name", "late-broker-" + stream);
    try (CuttableProxy broker = cutBroker();
        FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-late-broker-"),
            Map.of("RABBITMQ_URL", through(broker), "RABBITMQ_STREAM", stream))) {
      assertThat(tally.app.stream()).as("no consumer while the broker is unreachable").isEmpty();
      HttpResponse<String> notReady = tally.get("/analytics/v1/status/readyz", Map.of());
      assertThat(notReady.statusCode()).isEqualTo(503);
      JsonNode component = RunningTally.json(notReady).at("/components/stream");
      assertThat(component.at("/status").asText()).isEqualTo("down");
      assertThat(component.at("/state").asText()).isEqualTo("not_started");
      assertThat(component.at("/reason").asText()).as(component.toString()).isEqualTo("stream.unreachable");

      HttpResponse<String> posted = tally.send("POST", "/analytics/v1/events", """
          {"events": [{"eventId": "over-http", "orgId": "%s", "occurredAt": "2026-10-01T10:15:30Z",
           "modelId": "llama-3-70b", "inputTokens": 10, "outputTokens": 5, "costMicros": 40, "latencyMs": 120,
           "status": "success"}]}""".formatted(ORG), actor("ingest-svc", "ingestor", ORG));
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
      assertThat(RunningTally.json(posted).get("accepted").asLong()).as(posted.body()).isEqualTo(1);

      broker.restore();
      long expected = seeded.uniqueValid() + 1;
      await(Duration.ofSeconds(90), () -> database.usageEvents() >= expected
          && database.deadLetters() >= seeded.invalid());
      assertThat(database.usageEvents()).as("%s; %s", seeded, tally.get("/analytics/v1/status/readyz", Map.of()).body())
          .isEqualTo(expected);
      assertThat(database.deadLetters()).isEqualTo(seeded.invalid());
      assertThat(tally.app.stream()).isPresent();
      await(Duration.ofSeconds(30), () -> tally.get("/analytics/v1/status/readyz", Map.of()).statusCode() == 200);
      JsonNode ready = RunningTally.json(tally.get("/analytics/v1/status/readyz", Map.of()));
      assertThat(ready.at("/status").asText()).as(ready.toString()).isEqualTo("ready");
      assertThat(ready.at("/components/stream/state").asText()).isEqualTo("running");
    }
  }

  @Test
  void closingWhileWaitingForTheBrokerStopsTheRetries() throws Exception {
    try (CuttableProxy broker = cutBroker()) {
      RunningTally tally = RunningTally.embedded(Files.createTempDirectory("tally-no-broker-"),
          Map.of("RABBITMQ_URL", through(broker), "RABBITMQ_STREAM", "tally-never-" + UUID.randomUUID()));
      try {
        assertThat(starterThreads()).as("retrying in the background").isPositive();
      } finally {
        tally.close();
      }
      assertThat(starterThreads()).as("retry threads after close").isZero();
      assertThat(tally.app.stream()).isEmpty();
    }
  }

  /** A relay to the local broker's stream port, cut: the address is there, the broker is not (yet). */
  private static CuttableProxy cutBroker() throws Exception {
    CuttableProxy proxy = new CuttableProxy(URI.create(StreamIngestionIT.URL).getPort());
    proxy.cut();
    return proxy;
  }

  private static String through(CuttableProxy proxy) {
    return "rabbitmq-stream://guest:guest@127.0.0.1:" + proxy.port() + "/%2f";
  }

  private static long starterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("tally-stream-starter")).count();
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
