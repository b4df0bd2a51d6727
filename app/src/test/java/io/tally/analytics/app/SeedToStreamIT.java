package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code tally seed --to-stream}: the stream holds exactly the published events, a re-run under the same producer
 * name adds nothing, and a server consuming the stream stores the unique valid events and dead-letters the invalid.
 */
class SeedToStreamIT {
  @Test
  void seedsTheStreamOnceAndAServerIngestsIt() throws Exception {
    String stream = "tally-seed-it-" + UUID.randomUUID();
    Map<String, String> env = Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream);
    String[] args = {"seed", "--to-stream", "--events", "1500", "--duplicate-rate", "0.05", "--invalid-rate",
        "0.02", "--seed", "11", "--producer-name", "seed-it-" + stream};

    SeedRun first = SeedRun.run(env, args);
    long published = first.published();
    long uniqueValid = first.uniqueValid();
    long invalid = first.invalid();
    assertThat(published).isEqualTo(1500);
    assertThat(invalid).isPositive();
    assertThat(uniqueValid).isLessThan(published - invalid);
    assertThat(messagesIn(stream, published)).isEqualTo(published);

    SeedRun again = SeedRun.run(env, args);
    assertThat(again).isEqualTo(first);
    assertThat(messagesIn(stream, published)).as("a re-run publishes nothing new").isEqualTo(published);

    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-seed-stream-"),
            Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream, "ROLLUP_INTERVAL", "200ms"))) {
      Instant deadline = Instant.now().plusSeconds(90);
      while ((database.usageEvents() < uniqueValid || tally.app.services().deadLetters().count() < invalid)
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(250);
      }
      assertThat(database.usageEvents()).isEqualTo(uniqueValid);
      assertThat(tally.app.services().deadLetters().count()).isEqualTo(invalid);

      // The consumer learns of a commit when the sink returns, a moment after the database has it: its lag and
      // the dead-letter metric may trail the row counts briefly.
      JsonNode ready = RunningTally.json(tally.get("/analytics/v1/status/readyz", Map.of()));
      while (ready.at("/components/stream/lag").asLong(0) != 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
        ready = RunningTally.json(tally.get("/analytics/v1/status/readyz", Map.of()));
      }
      assertThat(ready.at("/components/stream/status").asText()).isEqualTo("up");
      assertThat(ready.at("/components/stream/state").asText()).isEqualTo("running");
      assertThat(ready.at("/components/stream/committedOffset").isIntegralNumber()).as(ready.toString()).isTrue();
      if (ready.at("/components/stream/lag").isIntegralNumber()) {
        assertThat(ready.at("/components/stream/lag").asLong()).as("everything is committed").isZero();
      }
      String metrics = tally.get("/metrics", Map.of()).body();
      while (!metrics.contains("analytics_stream_dead_letters_total " + invalid + ".0")
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
        metrics = tally.get("/metrics", Map.of()).body();
      }
      assertThat(metrics).contains("analytics_stream_consumer_lag", "analytics_stream_consumer_up 1.0")
          .contains("analytics_stream_dead_letters_total " + invalid + ".0");
    }
  }

  @Test
  void refusesAMissingBrokerUrlInOneLine() {
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
        .execute("seed", "--to-stream");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("tally seed: --to-stream needs RABBITMQ_URL=rabbitmq-stream://")
        .contains("amqp://").doesNotContain("\n");
  }

  @Test
  void anAmqpUrlPublishesToTheDerivedStreamEndpoint() {
    StringWriter err = new StringWriter();
    // Port 1 for the stream: the derived endpoint is used (and refused), not the AMQP port.
    int exit = TallyCli.commandLine(Map.of("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2f",
            "RABBITMQ_STREAM_PORT", "1"), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
        .execute("seed", "--to-stream");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("tally seed: cannot publish to stream").contains("127.0.0.1:1");
  }

  @Test
  void failsInOneLineWhenTheBrokerIsUnreachable() {
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(Map.of("RABBITMQ_URL", "rabbitmq-stream://guest:guest@127.0.0.1:1/%2f"),
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute("seed", "--to-stream");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("tally seed: cannot publish to stream").doesNotContain("\n")
        .doesNotContain("guest:guest");
  }

  /** Reads the stream from the start; waits for {@code expected}, then a little longer for any excess. */
  private static long messagesIn(String stream, long expected) throws InterruptedException {
    AtomicLong count = new AtomicLong();
    try (Environment environment = Environment.builder().uri(StreamIngestionIT.URL).build()) {
      Consumer consumer = environment.consumerBuilder().stream(stream).offset(OffsetSpecification.first())
          .messageHandler((context, message) -> count.incrementAndGet()).build();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (count.get() < expected && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      Thread.sleep(1_000);
      consumer.close();
    }
    return count.get();
  }
}
