package io.tally.analytics.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;

/**
 * What a stream ingestion fault test works on: a stream and a consumer name of its own, a fresh database, and a
 * view of the broker; then the end state ingestion must reach after any fault. Closing deletes the stream and
 * drops the database.
 */
final class StreamScenario implements AutoCloseable {
  final String stream;
  final String consumer;
  final FreshDatabase database;
  final BrokerView broker;
  /** {@code DATA_DIR} of the scenario's CLI runs: in development the route-secrets key is generated there. */
  final Path dataDir;

  /** @param name what the stream and consumer names start with */
  StreamScenario(String name) {
    this.stream = "tally-" + name + "-" + UUID.randomUUID();
    this.consumer = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      this.dataDir = Files.createTempDirectory("tally-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.broker = new BrokerView();
    try {
      this.database = new FreshDatabase();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /** Publishes synthetic events as {@link SeedRun#toStream} does. */
  SeedRun seed(String producer, long events, long seed) {
    return SeedRun.toStream(stream, producer, events, seed);
  }

  /** @return the environment of a {@code tally} command against this scenario's database */
  Map<String, String> cliEnv() {
    return Map.of("DATABASE_URL", database.url(), "DATA_DIR", dataDir.toString());
  }

  /** @return the server's stream settings for this scenario, with batches of {@code batchSize} messages */
  Map<String, String> consumerEnv(int batchSize) {
    return Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream, "RABBITMQ_CONSUMER", consumer,
        "RABBITMQ_BATCH_SIZE", Integer.toString(batchSize), "RABBITMQ_BATCH_MAX_WAIT_MS", "50");
  }

  /** @return the offset committed in the database with the rows, -1 before the first commit */
  long committedOffset() {
    return database.storedOffset(stream, consumer);
  }

  /** @return the offset the consumer mirrored to the broker, -1 when none */
  long brokerOffset() {
    return broker.storedOffset(stream, consumer);
  }

  /**
   * @return the broker-held offset once it equals {@code expected}, or whatever it holds after 10 s: a consumer's
   *     last offset store on close is not confirmed, so a loaded broker may briefly still answer the one before
   */
  long brokerOffsetOnceAt(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long stored = brokerOffset();
    while (stored != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
      stored = brokerOffset();
    }
    return stored;
  }

  /** @return the offset of the stream's last message */
  long lastOffset() throws InterruptedException {
    return broker.lastOffset(stream);
  }

  /**
   * Rows = the seeded unique valid events, dead letters = the invalid ones, the committed offset = the stream's
   * last offset, and {@code tally verify} finds no drift in any hourly or daily bucket. All are checked and reported
   * together, so one failing figure does not hide the others.
   */
  void assertIngestedExactlyOnce(SeedRun seeded, long lastOffset) {
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(database.usageEvents()).as("rows = unique valid events").isEqualTo(seeded.uniqueValid());
    softly.assertThat(database.deadLetters()).as("dead letters = invalid events").isEqualTo(seeded.invalid());
    softly.assertThat(committedOffset()).as("committed offset = the stream's last offset").isEqualTo(lastOffset);
    for (String granularity : List.of("hourly", "daily")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      // The seeded events lie in the last 7 days; verify's range ends tomorrow 00:00.
      int exit = TallyCli.commandLine(cliEnv(), new PrintWriter(out, true),
          new PrintWriter(err, true)).execute("verify", "--granularity", granularity, "--days", "9");
      String[] lines = out.toString().strip().split("\n");
      String last = lines[lines.length - 1];
      softly.assertThat(exit).as("verify --granularity %s exit code; %s %s", granularity, out, err).isZero();
      softly.assertThat(last).as("verify --granularity %s", granularity).startsWith("VERIFY ")
          .contains(" drifting=0 ", " max_drift=0.000000 ").doesNotContain(" buckets=0 ");
    }
    softly.assertAll();
  }

  @Override
  public void close() {
    broker.deleteStream(stream);
    broker.close();
    database.close();
  }
}
