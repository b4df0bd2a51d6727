package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code tally seed --to-stream}: the stream holds exactly the published events, a re-run under the same producer
 * name adds nothing, and a server consuming the stream stores the unique valid events and dead-letters the invalid.
 */
class SeedToStreamIT {
  private static final Pattern SEED = Pattern.compile(
      "SEED published=(\\d+) unique_valid=(\\d+) duplicates=(\\d+) invalid=(\\d+)");

  @Test
  void seedsTheStreamOnceAndAServerIngestsIt() throws Exception {
    String stream = "tally-seed-it-" + UUID.randomUUID();
    Map<String, String> env = Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream);
    String[] args = {"seed", "--to-stream", "--events", "1500", "--duplicate-rate", "0.05", "--invalid-rate",
        "0.02", "--seed", "11", "--producer-name", "seed-it-" + stream};

    Matcher first = seed(env, args);
    long published = Long.parseLong(first.group(1));
    long uniqueValid = Long.parseLong(first.group(2));
    long invalid = Long.parseLong(first.group(4));
    assertThat(published).isEqualTo(1500);
    assertThat(invalid).isPositive();
    assertThat(uniqueValid).isLessThan(published - invalid);
    assertThat(messagesIn(stream, published)).isEqualTo(published);

    Matcher again = seed(env, args);
    assertThat(again.group()).isEqualTo(first.group());
    assertThat(messagesIn(stream, published)).as("a re-run publishes nothing new").isEqualTo(published);

    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-seed-stream-"),
            Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream, "ROLLUP_INTERVAL", "200ms"))) {
      Instant deadline = Instant.now().plusSeconds(90);
      while ((rows(database) < uniqueValid || tally.app.services().deadLetters().count() < invalid)
          && Instant.now().isBefore(deadline)) {
        Thread.sleep(250);
      }
      assertThat(rows(database)).isEqualTo(uniqueValid);
      assertThat(tally.app.services().deadLetters().count()).isEqualTo(invalid);

      JsonNode ready = RunningTally.json(tally.get("/analytics/v1/status/readyz", Map.of()));
      assertThat(ready.at("/components/stream/status").asText()).isEqualTo("up");
      assertThat(ready.at("/components/stream/state").asText()).isEqualTo("running");
      assertThat(ready.at("/components/stream/committedOffset").isIntegralNumber()).as(ready.toString()).isTrue();
      if (ready.at("/components/stream/lag").isIntegralNumber()) {
        assertThat(ready.at("/components/stream/lag").asLong()).as("everything is committed").isZero();
      }
      String metrics = tally.get("/metrics", Map.of()).body();
      assertThat(metrics).contains("analytics_stream_consumer_lag", "analytics_stream_consumer_up 1.0")
          .contains("analytics_stream_dead_letters_total " + invalid + ".0");
    }
  }

  @Test
  void refusesANonStreamUrlInOneLine() {
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(Map.of("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2f"),
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute("seed", "--to-stream");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("tally seed: --to-stream needs RABBITMQ_URL=rabbitmq-stream://")
        .doesNotContain("\n");
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

  private static Matcher seed(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    assertThat(exit).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    Matcher m = SEED.matcher(lines[lines.length - 1]);
    assertThat(m.matches()).as(out.toString()).isTrue();
    return m;
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

  private static long rows(FreshDatabase database) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database.name
        + "?user=postgres"); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM analytics.usage_events")) {
      r.next();
      return r.getLong(1);
    } catch (java.sql.SQLException e) {
      return -1;
    }
  }
}
